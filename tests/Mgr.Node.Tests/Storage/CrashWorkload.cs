using System.Buffers.Binary;
using Mgr.Node.Storage;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Storage;

/// <summary>
/// The deterministic state the crash test's child process imports, shared (as a linked source file) by the child
/// and the test that checks its work: the key space is cut into <see cref="ChunkCount"/> equal chunks, and the
/// content of chunk i at epoch e (its leaves, storage slots and nodes) is a pure function of (e, i).
/// </summary>
public static class CrashWorkload
{
    public const int ChunkCount = 16;
    public const int LeavesPerChunk = 120;
    public const int SlotsPerChunk = 60;
    public const int NodesPerChunk = 24;
    public const int Epochs = 1000;

    /// <summary>Key of the i-th commit of the disk-filling run (<c>fill</c> mode of the child).</summary>
    public static byte[] FillKey(int i)
    {
        byte[] key = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(key, i);
        return key;
    }

    /// <summary>Value of the i-th commit of the disk-filling run: 64 KiB, incompressible.</summary>
    public static byte[] FillValue(int i)
    {
        byte[] value = new byte[64 << 10];
        new Random(i).NextBytes(value);
        return value;
    }

    /// <summary><see cref="Schema.Meta"/> key holding the number of the last commit of the disk-filling run.</summary>
    public static ReadOnlySpan<byte> FillCountKey => "fill-count"u8;

    public static Hash256 Root(int epoch) => Keccak256.Compute(Bytes("root", epoch, 0, 0));

    public static bool TryEpochOf(Hash256 root, out int epoch)
    {
        for (epoch = 0; epoch < Epochs; epoch++)
        {
            if (Root(epoch) == root) return true;
        }
        return false;
    }

    /// <summary>Chunk i covers keys whose first byte is in [16 i, 16 i + 15].</summary>
    public static KeyInterval Interval(int chunk)
    {
        Span<byte> start = stackalloc byte[32], end = stackalloc byte[32];
        start.Clear();
        end.Fill(0xff);
        start[0] = (byte)(chunk * 16);
        end[0] = (byte)(chunk * 16 + 15);
        return new KeyInterval(new Hash256(start), new Hash256(end));
    }

    public static VerifiedChunk Chunk(int epoch, int chunk)
    {
        var accounts = new List<FlatLeaf>(LeavesPerChunk);
        for (int j = 0; j < LeavesPerChunk; j++) accounts.Add(new FlatLeaf(KeyIn(chunk, Keccak256.Compute(Bytes("leaf", epoch, chunk, j))), Value("account", epoch, chunk, j)));
        accounts.Sort((a, b) => a.Key.CompareTo(b.Key));
        var slots = new List<StorageSlotLeaf>(SlotsPerChunk);
        for (int j = 0; j < SlotsPerChunk; j++)
        {
            Hash256 account = accounts[j % accounts.Count].Key;
            slots.Add(new StorageSlotLeaf(account, Keccak256.Compute(Bytes("slot", epoch, chunk, j)), Value("slot", epoch, chunk, j)));
        }
        var nodes = new List<TrieNodeBlob>(NodesPerChunk);
        for (int j = 0; j < NodesPerChunk; j++)
        {
            byte[] rlp = Value("node", epoch, chunk, j);
            nodes.Add(new TrieNodeBlob(Keccak256.Compute(rlp), rlp));
        }
        return new VerifiedChunk(Root(epoch), Interval(chunk), accounts, slots, nodes);
    }

    private static Hash256 KeyIn(int chunk, Hash256 random)
    {
        Span<byte> key = stackalloc byte[32];
        random.CopyTo(key);
        key[0] = (byte)(chunk * 16 + (key[0] & 0x0f));
        return new Hash256(key);
    }

    private static byte[] Value(string kind, int epoch, int chunk, int index)
    {
        byte[] value = new byte[40 + (index % 7) * 9];
        Keccak256.Compute(Bytes(kind, epoch, chunk, index)).CopyTo(value);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(32), epoch);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(36), chunk);
        return value;
    }

    private static byte[] Bytes(string kind, int epoch, int chunk, int index)
    {
        byte[] bytes = new byte[kind.Length + 12];
        System.Text.Encoding.ASCII.GetBytes(kind, bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(kind.Length), epoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(kind.Length + 4), chunk);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(kind.Length + 8), index);
        return bytes;
    }
}
