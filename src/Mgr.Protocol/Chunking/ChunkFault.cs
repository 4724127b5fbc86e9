namespace Mgr.Protocol.Chunking;

/// <summary>What was wrong with a chunk or chunk diff a peer sent (<see cref="None"/> when it verified).</summary>
public enum ChunkFault
{
    /// <summary>Verified.</summary>
    None,
    /// <summary>The message names another state root than the one expected for its epoch.</summary>
    WrongRoot,
    /// <summary>A storage chunk's proof does not prove its account's leaf (and so its storage root).</summary>
    AccountNotProven,
    /// <summary>An account's inline storage does not rebuild the storage root in its account value.</summary>
    InlineStorageMismatch,
    /// <summary>The leaves do not rebuild the subtree proven at the prefix (see the proof error for details).</summary>
    SubtreeMismatch,
}
