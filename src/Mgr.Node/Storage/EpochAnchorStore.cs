using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>The sync epochs a node took up, by state root (<see cref="Schema.EpochAnchors"/>): after a restart, account
/// ranges held at an older root can be rolled forward by chunk diffs from that root's epoch.</summary>
public static class EpochAnchorStore
{
    private const int ValueLength = Schema.NumberLength + Hash256.Length;

    /// <summary>Records that <paramref name="stateRoot"/> is the root of epoch <paramref name="epoch"/>, whose boundary
    /// block is <paramref name="boundaryHash"/>.</summary>
    public static void Write(IWriteBatch batch, Hash256 stateRoot, ulong epoch, Hash256 boundaryHash)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Hash256.Length];
        Span<byte> value = stackalloc byte[ValueLength];
        stateRoot.CopyTo(key);
        Schema.WriteNumber(epoch, value);
        boundaryHash.CopyTo(value[Schema.NumberLength..]);
        batch.Put(Schema.EpochAnchors, key, value);
    }

    /// <summary>The epoch (number, boundary hash) whose root is <paramref name="stateRoot"/>, if recorded.</summary>
    /// <exception cref="StorageException">On a corrupt record.</exception>
    public static bool TryRead(IKeyValueReader reader, Hash256 stateRoot, out ulong epoch, out Hash256 boundaryHash)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Hash256.Length];
        Span<byte> value = stackalloc byte[ValueLength];
        stateRoot.CopyTo(key);
        epoch = 0;
        boundaryHash = default;
        if (!reader.TryGet(Schema.EpochAnchors, key, value, out int length)) return false;
        if (length != ValueLength) throw new StorageException($"Corrupt epoch-anchors entry for root {stateRoot}: {length} bytes.");
        epoch = Schema.ReadNumber(value);
        boundaryHash = new Hash256(value[Schema.NumberLength..]);
        return true;
    }
}
