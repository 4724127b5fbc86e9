using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Announces the end of the session and why; the sender then closes the stream (§4.3). Unknown reason
/// values are kept as they are (the receiver treats them as <see cref="DisconnectReason.Requested"/>).</summary>
public sealed record Disconnect(DisconnectReason Reason) : IMessage
{
    public MessageCode Code => MessageCode.Disconnect;

    public int EncodedLength() => Rlp.LengthOfList(Rlp.LengthOf((ulong)Reason));

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, Rlp.LengthOf((ulong)Reason));
        writer.Write((ulong)Reason);
    }

    /// <summary>Decodes a Disconnect payload.</summary>
    public static Disconnect Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(Disconnect), static (ref RlpReader fields, byte[] _) =>
    {
        ulong reason = fields.ReadUInt64();
        return new Disconnect((DisconnectReason)reason);
    });
}
