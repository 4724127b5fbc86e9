namespace Mgr.Protocol.Transport.Identify;

/// <summary>Bounds on what an Identify exchange accepts from a peer.</summary>
public static class IdentifyLimits
{
    /// <summary>The protocol id of Identify.</summary>
    public const string ProtocolId = "/ipfs/id/1.0.0";

    /// <summary>Largest encoded message read or written. js-libp2p refuses identify messages above 8 KiB, so a
    /// larger one would not interoperate anyway; it also caps what one peer can make us buffer.</summary>
    public const int MaxMessageBytes = 8 * 1024;

    /// <summary>Most listen addresses kept from one message; real hosts announce a handful.</summary>
    public const int MaxListenAddrs = 64;

    /// <summary>Most protocol ids kept from one message; real hosts announce a few dozen.</summary>
    public const int MaxProtocols = 256;
}
