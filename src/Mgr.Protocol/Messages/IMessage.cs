namespace Mgr.Protocol.Messages;

/// <summary>An MGR message: its code and a measure-then-write RLP encoding. <see cref="WriteTo"/> writes exactly
/// <see cref="EncodedLength"/> bytes; each message type also has a static <c>Decode(ReadOnlySpan&lt;byte&gt;)</c>
/// that throws <see cref="ProtocolViolationException"/> on bad input.</summary>
public interface IMessage
{
    /// <summary>The frame code of this message.</summary>
    MessageCode Code { get; }

    /// <summary>Bytes <see cref="WriteTo"/> will write.</summary>
    int EncodedLength();

    /// <summary>Writes the RLP payload into the first <see cref="EncodedLength"/> bytes of <paramref name="destination"/>.</summary>
    void WriteTo(Span<byte> destination);
}
