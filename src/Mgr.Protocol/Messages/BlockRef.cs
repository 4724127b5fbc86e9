using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>A block named by hash and number; wire form <c>[hash, number]</c>.</summary>
public readonly record struct BlockRef(Hash256 Hash, ulong Number)
{
    /// <summary>Encoded length.</summary>
    public int EncodedLength() => Rlp.LengthOfList(33 + Rlp.LengthOf(Number));

    /// <summary>Writes <c>[hash, number]</c>.</summary>
    public void WriteTo(ref RlpWriter writer)
    {
        writer.WriteListHeader(33 + Rlp.LengthOf(Number));
        writer.Write(Hash);
        writer.Write(Number);
    }

    /// <summary>Reads <c>[hash, number]</c>.</summary>
    public static BlockRef Read(ref RlpReader reader)
    {
        RlpReader fields = reader.ReadList();
        Hash256 hash = fields.ReadHash();
        ulong number = fields.ReadUInt64();
        fields.EnsureEnd();
        return new BlockRef(hash, number);
    }
}
