using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Swarm;

/// <summary>What a node tells its peers about itself (spec/mgr-protocol.md §4.1, §4.4): the Status it sends on connect
/// and whenever its epoch, depth or role changes, and between two of them the chunks it gained, batched into Haves. A
/// leecher's Status names its epoch only once it announced it (<see cref="EpochAnnounced"/>: it has a depth and nothing
/// left to roll, or the roll grace is over); until then it claims nothing of it.</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class Announcer(SwarmOptions options, LeecherHoldings holdings, IReadOnlyDictionary<PeerHandle, RemotePeer> peers,
                                Func<PeerHandle, IMessage, long> send)
{
    private readonly HaveBatch _haves = new(options);
    private BlockRef _head;
    private BlockRef _finalized;

    /// <summary>True once this leecher announced its current epoch (always for a node that holds the epoch itself).</summary>
    public bool EpochAnnounced { get; set; }

    /// <summary>The head and finalized block sent in every later Status.</summary>
    public void SetChainHead(BlockRef head, BlockRef finalized) => (_head, _finalized) = (head, finalized);

    /// <summary>The Status of a node in <paramref name="role"/> working on <paramref name="anchor"/> at
    /// <paramref name="depth"/>: a seeder holds everything, a leecher what it verified at the current root.</summary>
    public Status StatusOf(Role role, EpochAnchor? anchor, int? depth)
    {
        Epoch? epoch = null;
        KeyRangeSet accounts = KeyRangeSet.Empty;
        List<StorageHave> storage = [];
        if (anchor is { } current && depth is { } chunkDepth && (role == Role.Seeder || EpochAnnounced))
        {
            epoch = new Epoch(current.Number, current.BoundaryHash, current.StateRoot, chunkDepth);
            if (role == Role.Seeder) accounts = KeyRangeSet.Full;
            else
            {
                accounts = holdings.Accounts;
                storage = holdings.StorageHaves();
            }
        }
        return new Status(Limits.ProtocolVersion, options.NetworkId, options.GenesisHash, options.ForkId, _head, _finalized,
                          epoch is null ? Role.Leecher : role, epoch, accounts, storage);
    }

    /// <summary>Sends the Status to every peer; it says all that the pending Haves would.</summary>
    public void Broadcast(Role role, EpochAnchor? anchor, int? depth)
    {
        Status status = StatusOf(role, anchor, depth);
        foreach (RemotePeer peer in peers.Values) send(peer.Handle, status);
        _haves.Clear();
    }

    /// <summary>A chunk of <paramref name="anchor"/> just held: batched, and the batch sent when full.</summary>
    public void Have(ChunkId chunk, EpochAnchor? anchor, TimeSpan now)
    {
        if (_haves.Add(chunk)) FlushHaves(anchor, now, force: true);
    }

    /// <summary>A chunk of <paramref name="announced"/>, the epoch this leecher's Status still names while it moves on,
    /// just kept: told at once in a Haves of that epoch, so peers count it as rolled forward and do not send it again.</summary>
    public void HavePrevious(ChunkId chunk, EpochAnchor announced)
    {
        var haves = chunk.Account is { } account
            ? new Haves(announced.BoundaryHash, KeyRangeSet.Empty, [new StorageHave(account, KeyRangeSet.Of(chunk.Range))])
            : new Haves(announced.BoundaryHash, KeyRangeSet.Of(chunk.Range), []);
        foreach (RemotePeer peer in peers.Values.Where(static peer => peer.Status is not null)) send(peer.Handle, haves);
    }

    /// <summary>Sends the pending Haves to every peer past the Status exchange, when the batch interval passed or
    /// <paramref name="force"/>; nothing before the epoch is announced.</summary>
    public void FlushHaves(EpochAnchor? anchor, TimeSpan now, bool force)
    {
        if (anchor is not { } current || !EpochAnnounced || _haves.Take(current.BoundaryHash, now, force) is not { } haves) return;
        foreach (RemotePeer peer in peers.Values.Where(static peer => peer.Status is not null)) send(peer.Handle, haves);
    }
}
