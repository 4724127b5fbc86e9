namespace Mgr.Protocol.Framing;

/// <summary>One received frame: the message code and the decompressed RLP payload (owned by the frame).</summary>
public readonly record struct Frame(byte Code, ReadOnlyMemory<byte> Payload);
