using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The answer to any request the server cannot serve (§4.5). Unknown reason values are kept as they are
/// (the receiver treats them as <see cref="UnavailableReason.NotServing"/>).</summary>
public sealed record Unavailable(ulong RequestId, UnavailableReason Reason) : IResponse
{
    public MessageCode Code => MessageCode.Unavailable;

    private int ContentLength() => Rlp.LengthOf(RequestId) + Rlp.LengthOf((ulong)Reason);

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.Write((ulong)Reason);
    }

    /// <summary>Decodes an Unavailable payload.</summary>
    public static Unavailable Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(Unavailable), static (ref RlpReader fields, byte[] _) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        ulong reason = fields.ReadUInt64();
        return new Unavailable(id, (UnavailableReason)reason);
    });
}
