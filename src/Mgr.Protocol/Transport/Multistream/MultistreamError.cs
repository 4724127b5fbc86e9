namespace Mgr.Protocol.Transport.Multistream;

/// <summary>Why a multistream-select negotiation failed.</summary>
public enum MultistreamError
{
    /// <summary>The other side answered "na" to every protocol we proposed.</summary>
    NotSupported,
    /// <summary>The other side did not open with <c>/multistream/1.0.0</c>, or sent a message that makes no sense here.</summary>
    ProtocolViolation,
    /// <summary>A message longer than <see cref="MultistreamSelect.MaxMessageLength"/>, or a malformed length prefix.</summary>
    MessageTooLong,
    /// <summary>The other side proposed more than <see cref="MultistreamSelect.MaxProposals"/> protocols we do not support.</summary>
    TooManyProposals,
    /// <summary>The channel ended mid-negotiation.</summary>
    EndOfStream,
}
