using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Mgr.Trie.Crypto;

namespace Mgr.Bench.Crypto;

/// <summary>Our managed Keccak-256 against .NET's SHA3_256 (OpenSSL: the same Keccak-f[1600] permutation and
/// 136-byte rate, only the padding differs), so the Ratio column reads as "our time / OpenSSL's time".</summary>
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _digest = new byte[32];
    private byte[] _input = [];

    [Params(32, 136, 532, 65536)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Bytes];
        new Random(42).NextBytes(_input);
    }

    [Benchmark(Baseline = true)]
    public int OpenSslSha3_256() => SHA3_256.HashData(_input, _digest);

    [Benchmark]
    public byte[] MgrKeccak256()
    {
        Keccak256.Hash(_input, _digest);
        return _digest;
    }
}
