using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;

namespace Mgr.Node.Tests.Swarm;

/// <summary>One malicious node of a simulated swarm: which misbehaviour it uses and, per honest peer, how many
/// misbehaving messages it sent that peer (counted where the script or filter produces them).</summary>
internal sealed class Adversary(AdversaryKind kind, SimulatedNode node)
{
    public AdversaryKind Kind { get; } = kind;

    public SimulatedNode Node { get; } = node;

    public PeerHandle Handle => Node.Handle;

    /// <summary>Misbehaving messages sent, by target.</summary>
    public Dictionary<PeerHandle, int> Acts { get; } = [];

    public void CountAct(PeerHandle target) => Acts[target] = Acts.GetValueOrDefault(target) + 1;

    public override string ToString() => $"{Kind} ({Node.Name})";
}

/// <summary>The misbehaviours spec/mgr-protocol.md forbids, one per adversary (see <see cref="AdversaryScripts"/>).</summary>
internal enum AdversaryKind
{
    /// <summary>Pushes chunks whose leaves do not match their proof.</summary>
    InvalidProofs,

    /// <summary>Claims the epoch's root but serves and pushes chunks of an older state root.</summary>
    StaleRoot,

    /// <summary>Announces every chunk and answers every request for one with Unavailable.</summary>
    LyingHaves,

    /// <summary>Announces every chunk and never answers.</summary>
    Withholding,

    /// <summary>Floods Haves, Status, requests and unsolicited responses.</summary>
    Flooding,

    /// <summary>Opens without Status, sends undecodable and unknown messages.</summary>
    ProtocolViolations,
}
