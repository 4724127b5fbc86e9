using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>The <see cref="StateBlock"/> marker under <see cref="Schema.StateBlockKey"/> in <see cref="Schema.Meta"/>.
/// Whoever changes the flat state writes the marker in the same batch, so after a crash marker and state agree.</summary>
public static class StateBlockStore
{
    private const int ValueLength = Schema.NumberLength + 2 * Hash256.Length;

    public static void Write(IWriteBatch batch, StateBlock block)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> value = stackalloc byte[ValueLength];
        Schema.WriteNumber(block.Number, value);
        block.Hash.CopyTo(value.Slice(Schema.NumberLength, Hash256.Length));
        block.StateRoot.CopyTo(value.Slice(Schema.NumberLength + Hash256.Length, Hash256.Length));
        batch.Put(Schema.Meta, Schema.StateBlockKey, value);
    }

    /// <summary>The marker, or false when the store has none (a store that never applied a block).</summary>
    /// <exception cref="StorageException">When the stored value is malformed.</exception>
    public static bool TryRead(IKeyValueReader reader, out StateBlock block)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> value = stackalloc byte[ValueLength];
        block = default;
        if (!reader.TryGet(Schema.Meta, Schema.StateBlockKey, value, out int length)) return false;
        if (length != ValueLength) throw new StorageException($"Corrupt state-block marker: {length} bytes, expected {ValueLength}.");
        block = new StateBlock(Schema.ReadNumber(value), new Hash256(value.Slice(Schema.NumberLength, Hash256.Length)),
            new Hash256(value.Slice(Schema.NumberLength + Hash256.Length, Hash256.Length)));
        return true;
    }
}
