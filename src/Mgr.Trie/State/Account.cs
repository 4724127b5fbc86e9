using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Trie.State;

/// <summary>An account as the state trie stores it: the RLP list <c>[nonce, balance, storageRoot, codeHash]</c>,
/// keyed by Keccak-256 of its <see cref="Address"/>.</summary>
/// <remarks>Immutable value. <see cref="Decode"/> is strict: exactly four items, canonical integers (no
/// leading zeros, nonce ≤ 8 bytes, balance ≤ 32 bytes), 32-byte hashes, nothing after the list; anything
/// else throws <see cref="RlpException"/> with the reason.</remarks>
public readonly record struct Account(ulong Nonce, UInt256 Balance, Hash256 StorageRoot, Hash256 CodeHash)
{
    /// <summary>Longest possible encoding: 9 (nonce) + 33 (balance) + 33 + 33, plus a 2-byte list header.</summary>
    public const int MaxEncodedLength = 110;

    /// <summary>An account with no nonce, balance, storage or code.</summary>
    public static Account Empty => new(0, UInt256.Zero, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);

    /// <summary>True when the account has no code (its code hash is Keccak-256 of nothing).</summary>
    public bool HasCode => CodeHash != Hash256.EmptyKeccak;

    /// <summary>True when the account has a non-empty storage trie.</summary>
    public bool HasStorage => StorageRoot != Hash256.EmptyTrieRoot;

    /// <summary>The code hash of <paramref name="code"/>; empty code gives <see cref="Hash256.EmptyKeccak"/>.</summary>
    public static Hash256 CodeHashOf(ReadOnlySpan<byte> code) => Keccak256.Compute(code);

    /// <summary>Length of the RLP encoding.</summary>
    public int EncodedLength => Rlp.Rlp.LengthOfList(ContentLength());

    /// <summary>Writes the RLP encoding into <paramref name="destination"/> (at least <see cref="EncodedLength"/>
    /// bytes) and returns the number of bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int content = ContentLength();
        var writer = new RlpWriter(destination);
        writer.WriteListHeader(content);
        writer.Write(Nonce);
        writer.Write(Balance);
        writer.Write(StorageRoot);
        writer.Write(CodeHash);
        return writer.Written;
    }

    /// <summary>The RLP encoding as a new array (allocates; for cold paths and tests).</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Decodes an account's RLP, strictly.</summary>
    /// <exception cref="RlpException">On any malformed, non-canonical or trailing input.</exception>
    public static Account Decode(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        RlpReader fields = outer.ReadList();
        outer.EnsureEnd();
        ulong nonce = fields.ReadUInt64();
        UInt256 balance = fields.ReadUInt256();
        Hash256 storageRoot = fields.ReadHash();
        Hash256 codeHash = fields.ReadHash();
        fields.EnsureEnd();
        return new Account(nonce, balance, storageRoot, codeHash);
    }

    private int ContentLength() =>
        Rlp.Rlp.LengthOf(Nonce) + Rlp.Rlp.LengthOf(Balance) + Rlp.Rlp.LengthOf(StorageRoot) + Rlp.Rlp.LengthOf(CodeHash);
}
