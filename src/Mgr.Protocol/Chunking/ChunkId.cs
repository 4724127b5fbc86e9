using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Chunking;

/// <summary>Names a chunk: the subtree under a nibble prefix of the account trie (<see cref="Account"/> null)
/// or of one account's storage trie. <see cref="Path"/> is the prefix as a key whose nibbles past
/// <see cref="Depth"/> are zero, so it is also the chunk's first key. Wire form: <c>[account, depth, path]</c>
/// (spec/mgr-protocol.md §4.1).</summary>
public readonly record struct ChunkId
{
    public ChunkId(Hash256? account, int depth, Hash256 path)
    {
        if ((uint)depth > Limits.MaxChunkDepth) throw new ArgumentOutOfRangeException(nameof(depth), depth, "Chunk depth is 0..64 nibbles.");
        if (Truncate(path, depth) != path) throw new ArgumentException($"Path {path} has nibbles past depth {depth}.", nameof(path));
        Account = account;
        Depth = depth;
        Path = path;
    }

    /// <summary>The account whose storage trie this chunk belongs to, or null for an account chunk.</summary>
    public Hash256? Account { get; }

    /// <summary>Prefix length in nibbles (0 = the whole trie).</summary>
    public int Depth { get; }

    /// <summary>The prefix, padded with zero nibbles: the chunk's first key.</summary>
    public Hash256 Path { get; }

    /// <summary>The prefix as a trie nibble path, as <c>Mgr.Trie.Proofs.SubtreeProof</c> takes it.</summary>
    public NibblePath Prefix
    {
        get
        {
            Span<byte> nibbles = stackalloc byte[Depth];
            for (int i = 0; i < Depth; i++) nibbles[i] = (byte)Path.Nibble(i);
            return NibblePath.FromNibbles(nibbles);
        }
    }

    /// <summary>True for a storage chunk.</summary>
    public bool IsStorage => Account.HasValue;

    /// <summary>The account chunk at <paramref name="depth"/> that contains <paramref name="key"/>.</summary>
    public static ChunkId ForAccountKey(Hash256 key, int depth) => new(null, depth, Truncate(key, depth));

    /// <summary>The storage chunk of <paramref name="account"/> at <paramref name="depth"/> that contains <paramref name="slot"/>.</summary>
    public static ChunkId ForStorageKey(Hash256 account, Hash256 slot, int depth) => new(account, depth, Truncate(slot, depth));

    /// <summary>The keys the chunk covers, in its own keyspace.</summary>
    public KeyRange Range => new(Path, Last(Path, Depth));

    /// <summary>True when <paramref name="key"/> has this chunk's prefix.</summary>
    public bool Contains(Hash256 key) => Truncate(key, Depth) == Path;

    /// <summary>The 16 chunks one nibble deeper, in keyspace order.</summary>
    public ChunkId[] Children()
    {
        if (Depth == Limits.MaxChunkDepth) throw new InvalidOperationException("A 64-nibble chunk has no children.");
        var children = new ChunkId[16];
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        for (int nibble = 0; nibble < 16; nibble++)
        {
            Path.CopyTo(bytes);
            int index = Depth >> 1;
            bytes[index] = (Depth & 1) == 0 ? (byte)(nibble << 4) : (byte)(bytes[index] | nibble);
            children[nibble] = new ChunkId(Account, Depth + 1, new Hash256(bytes));
        }
        return children;
    }

    /// <summary>Encoded length of <see cref="WriteTo"/>.</summary>
    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    /// <summary>Writes <c>[account, depth, path]</c>.</summary>
    public void WriteTo(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        if (Account is { } account) writer.Write(account);
        else writer.WriteBytes([]);
        writer.Write((ulong)Depth);
        byte[] bytes = ScratchBytes.Get();
        Path.CopyTo(bytes);
        writer.WriteBytes(bytes.AsSpan(0, PathBytes(Depth)));
    }

    /// <summary>Reads <c>[account, depth, path]</c>, rejecting a bad account field, depth or path.</summary>
    /// <exception cref="ProtocolViolationException"><see cref="ViolationReason.InvalidChunkId"/>.</exception>
    public static ChunkId Read(ref RlpReader reader)
    {
        RlpReader fields = reader.ReadList();
        ReadOnlySpan<byte> account = fields.ReadBytes();
        if (account.Length != 0 && account.Length != Hash256.Length) ProtocolViolationException.Throw(ViolationReason.InvalidChunkId, "chunk account must be empty or 32 bytes");
        ulong depth = fields.ReadUInt64();
        if (depth > Limits.MaxChunkDepth) ProtocolViolationException.Throw(ViolationReason.InvalidChunkId, $"chunk depth {depth} exceeds 64");
        ReadOnlySpan<byte> path = fields.ReadBytes();
        fields.EnsureEnd();
        if (path.Length != PathBytes((int)depth)) ProtocolViolationException.Throw(ViolationReason.InvalidChunkId, "chunk path length does not match its depth");
        if ((depth & 1) == 1 && (path[^1] & 0x0f) != 0) ProtocolViolationException.Throw(ViolationReason.InvalidChunkId, "odd chunk path has a non-zero pad nibble");
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        bytes.Clear();
        path.CopyTo(bytes);
        return new ChunkId(account.Length == 0 ? null : new Hash256(account), (int)depth, new Hash256(bytes));
    }

    /// <summary><paramref name="key"/> with every nibble from <paramref name="depth"/> on set to zero.</summary>
    public static Hash256 Truncate(Hash256 key, int depth) => Mask(key, depth, fill: false);

    /// <summary>The last key with the prefix of <paramref name="path"/> at <paramref name="depth"/>.</summary>
    public static Hash256 Last(Hash256 path, int depth) => Mask(path, depth, fill: true);

    public override string ToString()
    {
        string prefix = Path.ToString()[2..(2 + Depth)];
        return Account is { } account ? $"storage {account}/{prefix}" : $"accounts/{prefix}";
    }

    private int ContentLength() =>
        (Account.HasValue ? 33 : 1) + Rlp.LengthOf((ulong)Depth) + Rlp.LengthOfHeader(PathBytes(Depth)) + PathBytes(Depth)
        - (PathBytes(Depth) == 1 && Path[0] < 0x80 ? 1 : 0);

    private static int PathBytes(int depth) => (depth + 1) >> 1;

    private static Hash256 Mask(Hash256 key, int depth, bool fill)
    {
        int bits = depth * 4;
        return new Hash256(MaskWord(key.Word(0), bits, fill), MaskWord(key.Word(1), bits - 64, fill),
                           MaskWord(key.Word(2), bits - 128, fill), MaskWord(key.Word(3), bits - 192, fill));
    }

    // Keeps the top `keepBits` bits of a word (clamped to 0..64) and zeroes or fills the rest.
    private static ulong MaskWord(ulong word, int keepBits, bool fill)
    {
        int keep = Math.Clamp(keepBits, 0, 64);
        ulong low = keep == 64 ? 0UL : ulong.MaxValue >> keep;
        return fill ? word | low : word & ~low;
    }
}
