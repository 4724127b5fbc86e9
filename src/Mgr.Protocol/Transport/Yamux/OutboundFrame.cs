namespace Mgr.Protocol.Transport.Yamux;

/// <summary>One entry of the write loop's queue. Stream entries are resolved when written (the stream holds the
/// data, pending flags and window delta), so a queue entry never owns a buffer.</summary>
internal readonly record struct OutboundFrame(OutboundKind Kind, YamuxStream? Stream, uint StreamId, uint Value)
{
    public static OutboundFrame Control(YamuxStream stream) => new(OutboundKind.StreamControl, stream, stream.StreamId, 0);

    public static OutboundFrame Data(YamuxStream stream) => new(OutboundKind.StreamData, stream, stream.StreamId, 0);

    public static OutboundFrame Fin(YamuxStream stream) => new(OutboundKind.StreamFin, stream, stream.StreamId, 0);

    public static OutboundFrame Reset(uint streamId, bool counted) => new(counted ? OutboundKind.CountedReset : OutboundKind.StreamReset, null, streamId, 0);

    public static OutboundFrame PingRequest(uint opaque) => new(OutboundKind.PingRequest, null, 0, opaque);

    public static OutboundFrame PingResponse(uint opaque) => new(OutboundKind.PingResponse, null, 0, opaque);

    public static OutboundFrame GoAway(YamuxGoAwayCode code) => new(OutboundKind.GoAway, null, 0, (uint)code);
}

/// <summary>What an <see cref="OutboundFrame"/> asks the write loop to send.</summary>
internal enum OutboundKind
{
    /// <summary>A window update carrying the stream's pending SYN/ACK flags and window delta.</summary>
    StreamControl,
    /// <summary>Data frames for the stream's pending write.</summary>
    StreamData,
    /// <summary>A window update with FIN.</summary>
    StreamFin,
    /// <summary>A window update with RST.</summary>
    StreamReset,
    /// <summary>A RST refusing a peer's stream; counts against the pending control frame budget.</summary>
    CountedReset,
    PingRequest,
    /// <summary>A ping ACK; counts against the pending control frame budget.</summary>
    PingResponse,
    GoAway,
}
