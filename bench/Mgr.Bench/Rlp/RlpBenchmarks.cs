using System.Buffers;
using BenchmarkDotNet.Attributes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using RlpSize = Mgr.Trie.Rlp.Rlp;

namespace Mgr.Bench.Rlp;

/// <summary>Decoding a 532-byte branch node (16 child hashes) and encoding an account straight into an
/// <see cref="IBufferWriter{T}"/>; the Allocated column must read 0 B for the decode.</summary>
[MemoryDiagnoser]
public class RlpBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private byte[] _branchNode = [];
    private UInt256 _balance;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        const int Content = 16 * 33 + 1;
        _branchNode = new byte[RlpSize.LengthOfList(Content)];
        var writer = new RlpWriter(_branchNode);
        writer.WriteListHeader(Content);
        Span<byte> hash = stackalloc byte[32];
        for (int i = 0; i < 16; i++)
        {
            random.NextBytes(hash);
            writer.Write(new Hash256(hash));
        }
        writer.WriteBytes([]);
        _balance = UInt256.Parse("123456789012345678901234567890");
    }

    [Benchmark]
    public Hash256 DecodeBranchNode532Bytes()
    {
        var outer = new RlpReader(_branchNode);
        RlpReader branch = outer.ReadList();
        outer.EnsureEnd();
        Hash256 last = default;
        for (int i = 0; i < 16; i++) last = branch.ReadHash();
        _ = branch.ReadBytes();
        branch.EnsureEnd();
        return last;
    }

    [Benchmark]
    public int EncodeAccountIntoBufferWriter()
    {
        _output.ResetWrittenCount();
        int content = RlpSize.LengthOf(42UL) + RlpSize.LengthOf(_balance)
                    + RlpSize.LengthOf(Hash256.EmptyTrieRoot) + RlpSize.LengthOf(Hash256.EmptyKeccak);
        var writer = new RlpWriter(_output, RlpSize.LengthOfList(content));
        writer.WriteListHeader(content);
        writer.Write(42UL);
        writer.Write(_balance);
        writer.Write(Hash256.EmptyTrieRoot);
        writer.Write(Hash256.EmptyKeccak);
        writer.Commit();
        return _output.WrittenCount;
    }
}
