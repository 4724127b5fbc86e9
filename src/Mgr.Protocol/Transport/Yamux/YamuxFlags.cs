namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The flags field of a Yamux frame header.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The Yamux spec names this header field 'flags'.")]
public enum YamuxFlags : ushort
{
    None = 0,
    /// <summary>Opens a stream (or marks an outbound ping).</summary>
    Syn = 0x1,
    /// <summary>Accepts a stream (or marks a ping response).</summary>
    Ack = 0x2,
    /// <summary>Half-close: the sender writes no more on this stream.</summary>
    Fin = 0x4,
    /// <summary>Aborts the stream in both directions.</summary>
    Rst = 0x8,
}
