namespace Mgr.Node.Chain;

/// <summary>Something the consensus-side driver told the node. The interface is one-way: the driver
/// speaks, the node listens (see <see cref="IConsensusDriver"/>). Subtypes: <see cref="CheckpointReceived"/>,
/// <see cref="FinalizedBlockReceived"/>, <see cref="HeadUpdated"/>, <see cref="PayloadReceived"/>.</summary>
public abstract record ConsensusEvent;
