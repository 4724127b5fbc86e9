using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Requests headers as eth/66 does (§4.9): from an origin given by hash (<see cref="OriginHash"/>) or by
/// number (<see cref="OriginNumber"/>, used when OriginHash is null), <see cref="Amount"/> headers (≤
/// <see cref="Limits.MaxHeadersPerRequest"/>), every <c>Skip + 1</c>-th block, towards genesis when <see cref="Reverse"/>.</summary>
public sealed record GetBlockHeaders(ulong RequestId, Hash256? OriginHash, ulong OriginNumber, ulong Amount, ulong Skip, bool Reverse) : IRequest
{
    public MessageCode Code => MessageCode.GetBlockHeaders;

    private int OriginLength() => OriginHash.HasValue ? 33 : Rlp.LengthOf(OriginNumber);

    private int ContentLength() => Rlp.LengthOf(RequestId) + OriginLength() + Rlp.LengthOf(Amount) + Rlp.LengthOf(Skip) + 1;

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        if (OriginHash is { } hash) writer.Write(hash);
        else writer.Write(OriginNumber);
        writer.Write(Amount);
        writer.Write(Skip);
        writer.Write(Reverse);
    }

    /// <summary>Decodes a GetBlockHeaders payload.</summary>
    public static GetBlockHeaders Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetBlockHeaders), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        ReadOnlySpan<byte> origin = fields.ReadBytes();
        Hash256? originHash = null;
        ulong originNumber = 0;
        if (origin.Length == Hash256.Length) originHash = new Hash256(origin);
        else if (origin.Length > 8) ProtocolViolationException.Throw(ViolationReason.WrongType, "origin is neither a hash nor a 64-bit number");
        else if (origin.Length > 0 && origin[0] == 0) ProtocolViolationException.Throw(ViolationReason.NonCanonical, "origin number with a leading zero");
        else foreach (byte b in origin) originNumber = (originNumber << 8) | b;
        ulong amount = fields.ReadUInt64();
        if (amount > Limits.MaxHeadersPerRequest) ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"{amount} headers requested");
        ulong skip = fields.ReadUInt64();
        bool reverse = fields.ReadBool();
        return new GetBlockHeaders(id, originHash, originNumber, amount, skip, reverse);
    });
}
