using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Xunit;

namespace Mgr.Node.Tests.Swarm.Simulation;

public sealed class SimulatedNetworkTests
{
    private const long MessageBytes = 1_000_000;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(30);

    [Fact]
    public void One_message_takes_its_size_over_the_slower_link_plus_the_latency()
    {
        SimulatedNetwork network = Network();
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(500_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 250_000));
        network.Connect(a, b);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        TimeSpan start = network.Clock.Now;

        fromA.Send(b.Handle, Probe());
        bool arrived = network.RunUntil(() => b.WireBytesReceived == MessageBytes, TimeSpan.FromSeconds(60));

        Assert.True(arrived);
        Assert.Equal(start + TimeSpan.FromSeconds(4) + Latency, network.Clock.Now);
    }

    [Fact]
    public void Two_senders_share_the_receivers_downlink()
    {
        SimulatedNetwork network = Network();
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(1_000_000, 0));
        (SimulatedNode c, ISwarmTransport fromC) = Add(network, "c", new NodeCapacity(1_000_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 1_000_000));
        network.Connect(a, b);
        network.Connect(c, b);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        TimeSpan start = network.Clock.Now;

        fromA.Send(b.Handle, Probe());
        fromC.Send(b.Handle, Probe());
        network.RunUntil(() => b.WireBytesReceived == MessageBytes, TimeSpan.FromSeconds(60));
        TimeSpan first = network.Clock.Now;
        network.RunUntil(() => b.WireBytesReceived == 2 * MessageBytes, TimeSpan.FromSeconds(60));

        Assert.Equal(start + TimeSpan.FromSeconds(1) + Latency, first);
        Assert.Equal(start + TimeSpan.FromSeconds(2) + Latency, network.Clock.Now);
    }

    [Fact]
    public void One_sender_serialises_its_uplink_across_receivers()
    {
        SimulatedNetwork network = Network();
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(1_000_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 0));
        (SimulatedNode c, _) = Add(network, "c", new NodeCapacity(0, 0));
        network.Connect(a, b);
        network.Connect(a, c);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        TimeSpan start = network.Clock.Now;

        fromA.Send(b.Handle, Probe());
        fromA.Send(c.Handle, Probe());
        network.RunUntil(() => c.WireBytesReceived == MessageBytes, TimeSpan.FromSeconds(60));

        Assert.Equal(start + TimeSpan.FromSeconds(2) + Latency, network.Clock.Now);
        Assert.Equal(2 * MessageBytes, a.WireBytesSent);
    }

    [Fact]
    public void A_downlink_takes_messages_in_the_order_they_reach_it_not_the_order_they_were_sent()
    {
        SimulatedNetwork network = Network();
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(1_000_000, 0));
        (SimulatedNode d, ISwarmTransport fromD) = Add(network, "d", new NodeCapacity(1_000_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 1_000_000));
        (SimulatedNode c, _) = Add(network, "c", new NodeCapacity(0, 0));
        network.Connect(a, b);
        network.Connect(a, c);
        network.Connect(d, b);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        TimeSpan start = network.Clock.Now;

        fromA.Send(c.Handle, Probe());
        fromA.Send(b.Handle, Probe());
        fromD.Send(b.Handle, Probe());
        network.RunUntil(() => b.WireBytesReceived == MessageBytes, TimeSpan.FromSeconds(60));

        Assert.Equal(start + TimeSpan.FromSeconds(1) + Latency, network.Clock.Now);
        Assert.Equal(MessageBytes, d.WireBytesSent);
    }

    [Fact]
    public void With_control_first_a_control_message_goes_ahead_of_bulk_data_queued_on_the_uplink()
    {
        SimulatedNetwork network = new(Latency, 0, TimeSpan.FromHours(1))
        {
            RoundTripMessages = false,
            ControlFirst = true,
            WireSize = static message => message switch { ByteCodes => MessageBytes, Haves => 1_000, _ => 0 },
        };
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(1_000_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 0));
        (SimulatedNode c, _) = Add(network, "c", new NodeCapacity(0, 0));
        network.Connect(a, b);
        network.Connect(a, c);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        TimeSpan start = network.Clock.Now;

        fromA.Send(b.Handle, new ByteCodes(0, []));
        fromA.Send(c.Handle, Probe());
        network.RunUntil(() => c.WireBytesReceived > 0, TimeSpan.FromSeconds(60));
        TimeSpan control = network.Clock.Now;
        network.RunUntil(() => b.WireBytesReceived > 0, TimeSpan.FromSeconds(60));

        Assert.Equal(start + TimeSpan.FromMilliseconds(1) + Latency, control);
        Assert.Equal(start + TimeSpan.FromSeconds(1) + Latency, network.Clock.Now);
    }

    [Fact]
    public void A_node_taken_offline_loses_its_sessions_and_what_was_in_flight()
    {
        SimulatedNetwork network = Network();
        (SimulatedNode a, ISwarmTransport fromA) = Add(network, "a", new NodeCapacity(1_000_000, 0));
        (SimulatedNode b, _) = Add(network, "b", new NodeCapacity(0, 0));
        network.Connect(a, b);
        network.RunUntil(() => false, TimeSpan.FromSeconds(1));

        fromA.Send(b.Handle, Probe());
        network.SetOnline(b, false);
        network.RunUntil(() => false, TimeSpan.FromSeconds(10));

        Assert.False(network.AreConnected(a, b));
        Assert.Equal(0, b.WireBytesReceived);
        Assert.Equal(0, fromA.QueuedBytes(b.Handle));
    }

    // Only probes occupy the links, so the Status exchange at connect time costs no capacity.
    private static SimulatedNetwork Network() => new(Latency, 0, TimeSpan.FromHours(1))
    {
        RoundTripMessages = false,
        WireSize = static message => message is Haves ? MessageBytes : 0,
    };

    private static (SimulatedNode Node, ISwarmTransport Transport) Add(SimulatedNetwork network, string name, NodeCapacity capacity)
    {
        ISwarmTransport? captured = null;
        SimulatedNode node = network.AddNode(name, (transport, clock) =>
        {
            captured = transport;
            return new SwarmEngine(new SwarmOptions(), new InMemoryKeyValueStore(), transport, clock);
        }, capacity);
        return (node, captured!);
    }

    private static Haves Probe() => new(Hash256.Zero, KeyRangeSet.Empty, []);
}
