using System.Buffers.Binary;
using Mgr.Protocol.Messages;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.ForkIds;

/// <summary>An EIP-2124 fork identifier: the CRC-32 of the genesis hash and passed forks, and the next fork
/// (block number or timestamp, 0 if none). Wire form <c>[fork_hash: B_4, fork_next: P]</c>.</summary>
public readonly record struct ForkId(uint Hash, ulong Next)
{
    /// <summary>Encoded length of <see cref="WriteTo"/>.</summary>
    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    /// <summary>Writes <c>[hash (4 bytes), next]</c>.</summary>
    public void WriteTo(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        byte[] hash = ScratchBytes.Get();
        BinaryPrimitives.WriteUInt32BigEndian(hash, Hash);
        writer.WriteBytes(hash.AsSpan(0, 4));
        writer.Write(Next);
    }

    /// <summary>Reads <c>[hash (4 bytes), next]</c>.</summary>
    /// <exception cref="RlpException">Malformed, or a hash that is not 4 bytes.</exception>
    public static ForkId Read(ref RlpReader reader)
    {
        RlpReader fields = reader.ReadList();
        ReadOnlySpan<byte> hash = fields.ReadFixed(4);
        ulong next = fields.ReadUInt64();
        fields.EnsureEnd();
        return new ForkId((uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]), next);
    }

    public override string ToString() => $"0x{Hash:x8}/{Next}";

    private int ContentLength() => 5 + Rlp.LengthOf(Next);
}
