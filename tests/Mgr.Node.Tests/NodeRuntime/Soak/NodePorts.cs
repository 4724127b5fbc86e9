using Mgr.Node.Demo;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>The 127.0.0.1 ports of a <see cref="NodeChild"/>: P2P (TCP; 0 lets each run take any free port), Engine API,
/// dashboard.</summary>
internal readonly record struct NodePorts(int P2p, int Engine, int Dashboard)
{
    /// <summary>Ports free now; with <paramref name="fixedP2p"/> false the P2P port is 0 (a restarted leecher need not
    /// rebind the port its killed run left in TIME_WAIT: it dials out, nobody dials it).</summary>
    public static NodePorts Take(bool fixedP2p)
    {
        IReadOnlyList<int> ports = FreePort.Take(3);
        return new NodePorts(fixedP2p ? ports[0] : 0, ports[1], ports[2]);
    }
}
