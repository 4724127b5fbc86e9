using System.Buffers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>Contract code by code hash (<see cref="Schema.Code"/>). Content-addressed: writing the same code twice
/// is harmless, and the caller has checked that the hash is the Keccak-256 of the code.</summary>
public static class CodeStore
{
    public static void Write(IWriteBatch batch, Hash256 codeHash, ReadOnlySpan<byte> code)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Hash256.Length];
        codeHash.CopyTo(key);
        batch.Put(Schema.Code, key, code);
    }

    /// <summary>Appends the code with <paramref name="codeHash"/> to <paramref name="code"/>; false if absent.</summary>
    public static bool TryRead(IKeyValueReader reader, Hash256 codeHash, IBufferWriter<byte> code)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> key = stackalloc byte[Hash256.Length];
        codeHash.CopyTo(key);
        return reader.TryGet(Schema.Code, key, code);
    }

    public static void Delete(IWriteBatch batch, Hash256 codeHash)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Hash256.Length];
        codeHash.CopyTo(key);
        batch.Delete(Schema.Code, key);
    }
}
