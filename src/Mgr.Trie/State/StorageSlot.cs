using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Trie.State;

/// <summary>How a storage slot appears in an account's storage trie: the key is Keccak-256 of the 32-byte
/// slot, the value is the RLP string of the 32-byte word with its leading zero bytes trimmed. A zero word
/// is not stored at all (absent and zero are the same).</summary>
/// <remarks>Stateless and allocation-free. <see cref="DecodeValue"/> is strict: it rejects a list, leading
/// zeros, more than 32 bytes, trailing bytes and the encoding of zero (which a trie never holds).</remarks>
public static class StorageSlot
{
    /// <summary>Longest encoded value: a 32-byte string with its one-byte header.</summary>
    public const int MaxEncodedValueLength = 33;

    /// <summary>The storage-trie key of <paramref name="slot"/>.</summary>
    public static Hash256 KeyOf(Hash256 slot)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        slot.CopyTo(bytes);
        return Keccak256.Compute(bytes);
    }

    /// <summary>Writes the trie value for <paramref name="word"/> into <paramref name="destination"/>
    /// (at least <see cref="MaxEncodedValueLength"/> bytes) and returns its length; 0 means the word is zero
    /// and the slot must be absent from the trie.</summary>
    public static int EncodeValue(UInt256 word, Span<byte> destination)
    {
        if (word.IsZero) return 0;
        var writer = new RlpWriter(destination);
        writer.Write(word);
        return writer.Written;
    }

    /// <summary>The word a storage-trie value holds.</summary>
    /// <exception cref="RlpException">When <paramref name="encoded"/> is not the canonical encoding of a
    /// non-zero word of at most 32 bytes.</exception>
    public static UInt256 DecodeValue(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        UInt256 word = reader.ReadUInt256();
        reader.EnsureEnd();
        if (word.IsZero) RlpException.Throw(RlpError.NonCanonicalInteger, 0);
        return word;
    }
}
