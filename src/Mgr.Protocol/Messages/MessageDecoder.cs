namespace Mgr.Protocol.Messages;

/// <summary>Turns a frame's code and payload into a typed message, for the protocol version agreed with the peer.</summary>
public static class MessageDecoder
{
    /// <summary>Decodes <paramref name="payload"/> as the message with <paramref name="code"/>.</summary>
    /// <exception cref="ProtocolViolationException"><see cref="ViolationReason.UnknownMessageCode"/> for a code the version
    /// does not define, or the message's own decoding error.</exception>
    public static IMessage Decode(byte code, ReadOnlySpan<byte> payload, ulong agreedVersion = Limits.ProtocolVersion)
    {
        if (agreedVersion < 1) ProtocolViolationException.Throw(ViolationReason.UnknownMessageCode, $"no messages in version {agreedVersion}");
        return (MessageCode)code switch
        {
            MessageCode.Status => Status.Decode(payload),
            MessageCode.Disconnect => Disconnect.Decode(payload),
            MessageCode.Haves => Haves.Decode(payload),
            MessageCode.Unavailable => Unavailable.Decode(payload),
            MessageCode.GetStateData => GetStateData.Decode(payload),
            MessageCode.StateData => StateData.Decode(payload),
            MessageCode.GetChunkDiff => GetChunkDiff.Decode(payload),
            MessageCode.ChunkDiff => ChunkDiff.Decode(payload),
            MessageCode.GetTrieNodes => GetTrieNodes.Decode(payload),
            MessageCode.TrieNodes => TrieNodes.Decode(payload),
            MessageCode.GetBlockHeaders => GetBlockHeaders.Decode(payload),
            MessageCode.BlockHeaders => BlockHeaders.Decode(payload),
            MessageCode.GetByteCodes => GetByteCodes.Decode(payload),
            MessageCode.ByteCodes => ByteCodes.Decode(payload),
            MessageCode.GetStateDiff when agreedVersion >= Limits.FollowModeVersion => GetStateDiff.Decode(payload),
            MessageCode.StateDiff when agreedVersion >= Limits.FollowModeVersion => StateDiff.Decode(payload),
            _ => throw new ProtocolViolationException(ViolationReason.UnknownMessageCode, $"code 0x{code:x2}"),
        };
    }
}
