namespace Mgr.Protocol.Messages;

/// <summary>Why a peer's frame or message was rejected. Each value maps to a penalty through
/// <see cref="PenaltyTable"/>; the numbering is not on the wire.</summary>
public enum ViolationReason
{
    /// <summary>The frame length prefix announces more than <see cref="Limits.MaxFrameBytes"/>.</summary>
    FrameTooLarge,
    /// <summary>The frame length prefix is non-minimal or longer than its 4 allowed bytes.</summary>
    InvalidFrameLength,
    /// <summary>A frame too short to hold a code and a snappy block.</summary>
    EmptyFrame,
    /// <summary>The snappy header announces more than <see cref="Limits.MaxPayloadBytes"/> (or zero) bytes.</summary>
    PayloadTooLarge,
    /// <summary>The snappy block does not decode, or decodes to another length than announced.</summary>
    CorruptCompression,
    /// <summary>A message code the agreed protocol version does not define.</summary>
    UnknownMessageCode,
    /// <summary>The first message of a session was not Status.</summary>
    StatusExpected,
    /// <summary>An item runs past the end of the payload.</summary>
    Truncated,
    /// <summary>Bytes remain after the message.</summary>
    TrailingBytes,
    /// <summary>Non-canonical RLP, or a trimmed field that is not trimmed.</summary>
    NonCanonical,
    /// <summary>A list where a string belongs (or the reverse), a fixed-size field of the wrong size, an integer too wide.</summary>
    WrongType,
    /// <summary>A list longer than its limit, or nesting too deep.</summary>
    TooManyItems,
    /// <summary>A field outside its allowed values (a role, a flag, a zero request id where one is needed).</summary>
    ValueOutOfRange,
    /// <summary>A chunk id whose depth, path or account field is malformed.</summary>
    InvalidChunkId,
    /// <summary>A range set that is unsorted, overlapping, adjacent or has start &gt; end.</summary>
    InvalidRangeSet,
    /// <summary>Keys that are not strictly ascending.</summary>
    UnsortedKeys,
    /// <summary>A key outside the chunk's prefix.</summary>
    KeyOutsideChunk,
    /// <summary>A malformed hex-prefix trie path.</summary>
    InvalidPath,
    /// <summary>A request that uses the reserved request id 0.</summary>
    ReservedRequestId,
    /// <summary>State data whose proof does not verify against the epoch's root.</summary>
    InvalidProof,
    /// <summary>A chunk diff whose result does not hash to the new root's reference at the prefix.</summary>
    InvalidChunkDiff,
    /// <summary>State data claiming a root that is not the epoch boundary header's state root.</summary>
    WrongRootForEpoch,
    /// <summary>A response whose request id is not outstanding.</summary>
    UnsolicitedResponse,
    /// <summary>Unavailable for data the peer announced in its have-set.</summary>
    AnnouncedButUnavailable,
    /// <summary>More than <see cref="Limits.MaxInFlightRequests"/> outstanding requests.</summary>
    TooManyRequests,
    /// <summary>A response larger than the request's byte limit allows.</summary>
    ResponseOverLimit,
    /// <summary>No response within the request timeout, or a frame not completed within its <see cref="Framing.FrameTimeout"/>.</summary>
    Timeout,
    /// <summary>A state diff that does not lead from the parent's state to the block's state root, or names a block
    /// other than the one requested.</summary>
    InvalidStateDiff,
}
