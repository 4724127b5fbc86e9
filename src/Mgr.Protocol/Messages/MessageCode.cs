namespace Mgr.Protocol.Messages;

/// <summary>The one-byte message code at the front of every frame (spec/mgr-protocol.md §3). Requests are
/// even, their responses the next odd code; 0x10–0x1f are reserved for follow mode (state diffs).</summary>
public enum MessageCode : byte
{
    Status = 0x00,
    Disconnect = 0x01,
    Haves = 0x02,
    Unavailable = 0x03,
    GetStateData = 0x04,
    StateData = 0x05,
    GetChunkDiff = 0x06,
    ChunkDiff = 0x07,
    GetTrieNodes = 0x08,
    TrieNodes = 0x09,
    GetBlockHeaders = 0x0a,
    BlockHeaders = 0x0b,
    GetByteCodes = 0x0c,
    ByteCodes = 0x0d,
    /// <summary>Follow mode (version 2): asks for one block's state diff.</summary>
    GetStateDiff = 0x10,
    /// <summary>Follow mode (version 2): one block's state diff.</summary>
    StateDiff = 0x11,
}
