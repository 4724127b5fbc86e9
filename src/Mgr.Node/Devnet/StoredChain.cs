using System.Buffers;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;

namespace Mgr.Node.Devnet;

/// <summary>The canonical chain as a devnet store holds it: headers from genesis to the head, every height canonical.
/// Reads and writes through <see cref="HeaderStore"/>; the head is found by binary search over the contiguous
/// canonical heights (O(log n) reads, no extra metadata).</summary>
public static class StoredChain
{
    /// <summary>Adds <paramref name="header"/> and its canonical entry to <paramref name="batch"/>.</summary>
    public static void WriteCanonicalHeader(IWriteBatch batch, BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(header);
        HeaderStore.Write(batch, header.Number, header.Hash, header.Encode());
        HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
    }

    /// <summary>The canonical header at <paramref name="number"/>, or null when there is none.</summary>
    /// <exception cref="DevnetException">When the canonical entry points at a missing or undecodable header.</exception>
    public static BlockHeader? ReadCanonical(IKeyValueReader reader, ulong number)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!HeaderStore.TryReadCanonical(reader, number, out Mgr.Trie.Primitives.Hash256 hash)) return null;
        var rlp = new ArrayBufferWriter<byte>(640);
        if (!HeaderStore.TryRead(reader, number, hash, rlp))
            throw new DevnetException($"The canonical header {number} ({hash}) is missing from the store.");
        try
        {
            return BlockHeader.Decode(rlp.WrittenSpan);
        }
        catch (HeaderDecodeException e)
        {
            throw new DevnetException($"The stored header {number} ({hash}) is malformed: {e.Message}", e);
        }
    }

    /// <summary>The highest canonical header (canonical heights are contiguous from 0).</summary>
    /// <exception cref="DevnetException">When the store holds no genesis.</exception>
    public static BlockHeader ReadHead(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!HeaderStore.TryReadCanonical(reader, 0, out _)) throw new DevnetException("The store holds no canonical genesis.");
        ulong low = 0, high = 1;
        while (HeaderStore.TryReadCanonical(reader, high, out _))
        {
            low = high;
            high = high >= ulong.MaxValue / 2 ? ulong.MaxValue : high * 2;
        }
        // Invariant: low is canonical, high is not.
        while (high - low > 1)
        {
            ulong middle = low + (high - low) / 2;
            if (HeaderStore.TryReadCanonical(reader, middle, out _)) low = middle;
            else high = middle;
        }
        return ReadCanonical(reader, low)!;
    }
}
