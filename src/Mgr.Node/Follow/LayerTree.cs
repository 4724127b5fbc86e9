using System.Collections.Immutable;
using Mgr.Node.Devnet;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>The state of a following node: the persistent state at the latest finalized block (<see cref="Base"/>,
/// in the store) and, above it, one in-memory <see cref="DiffLayer"/> per verified non-finalized block, on every branch
/// seen. <see cref="Head"/> points at one of them; moving it to another branch (a reorg) walks the layers to the common
/// ancestor and fetches nothing. Finalization flattens the layers up to the finalized block into the store, oldest
/// first, one atomic batch per block, and drops the branches that finality excluded (spec/follow.md).</summary>
/// <remarks>
/// <para>Verification: a diff is applied with <see cref="StateApplier"/> on top of its parent's
/// <see cref="LayeredStateReader"/>, into a <see cref="LayerWrites"/> instead of a store batch, and kept only if the
/// new root equals the header's. A refused diff leaves no trace (<see cref="TryAdd"/>).</para>
/// <para>Bounds: at most <see cref="FollowOptions.MaxLayers"/> layers and <see cref="FollowOptions.MaxLayerBytes"/>
/// estimated bytes; past them <see cref="FollowException"/> (<see cref="FollowError.LayerLimit"/>) and nothing grows.</para>
/// <para>Concurrency: one owner thread calls every member except <see cref="TryGetLayerDiff"/>, which any thread may
/// call (it reads an immutable snapshot). The store must not be written by anyone else while following.</para>
/// </remarks>
public sealed class LayerTree
{
    private readonly IKeyValueStore _store;
    private readonly FollowOptions _options;
    private readonly Dictionary<Hash256, DiffLayer> _layers = [];
    private readonly TrieNodePool _nodes = new();
    private ImmutableDictionary<Hash256, DiffLayer> _published = ImmutableDictionary<Hash256, DiffLayer>.Empty;

    /// <summary>Follows on top of the state <paramref name="store"/> holds (its <see cref="StateBlock"/> marker, or its
    /// canonical head for a store that never applied a block).</summary>
    /// <exception cref="StorageException">When the store names a state block whose header it lacks.</exception>
    public LayerTree(IKeyValueStore store, FollowOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new FollowOptions();
        _options.Validate();
        Base = StateHistory.ReadStateHeader(store) ?? StoredChain.ReadHead(store);
        Head = Base;
    }

    /// <summary>The block whose state the store holds: the latest flattened (finalized) block.</summary>
    public BlockHeader Base { get; private set; }

    /// <summary>The block whose state <see cref="HeadState"/> reads.</summary>
    public BlockHeader Head { get; private set; }

    /// <summary>Layers held, on every branch.</summary>
    public int LayerCount => _layers.Count;

    /// <summary>Estimated bytes the layers hold.</summary>
    public long LayerBytes { get; private set; }

    /// <summary>The head's state.</summary>
    public LayeredStateReader HeadState => StateAt(Head.Hash);

    /// <summary>True when <paramref name="hash"/> is the base or a layer.</summary>
    public bool Contains(Hash256 hash) => hash == Base.Hash || _layers.ContainsKey(hash);

    /// <summary>The header of the base or of a layer.</summary>
    public bool TryGetHeader(Hash256 hash, out BlockHeader header)
    {
        if (hash == Base.Hash)
        {
            header = Base;
            return true;
        }
        bool found = _layers.TryGetValue(hash, out DiffLayer? layer);
        header = layer?.Header ?? Base;
        return found;
    }

    /// <summary>The state at the base or at a layer; valid until the tree changes.</summary>
    /// <exception cref="FollowException">For a block that is neither (<see cref="FollowError.UnknownParent"/>).</exception>
    public LayeredStateReader StateAt(Hash256 block) => new(_store, Layer(block), _nodes);

    /// <summary>The number and encoded diff of a layer (any thread); false when the block is not held in memory. Fits
    /// <see cref="StateDiffServer.LayerDiffLookup"/>.</summary>
    public bool TryGetLayerDiff(Hash256 block, out ulong number, out ReadOnlyMemory<byte> encodedDiff)
    {
        bool found = Volatile.Read(ref _published).TryGetValue(block, out DiffLayer? layer);
        number = found ? layer!.Number : 0;
        encodedDiff = found ? layer!.EncodedDiff : default;
        return found;
    }

    /// <summary>Verifies <paramref name="encodedDiff"/> as the state diff of <paramref name="header"/> on top of its parent
    /// (the base or a layer) and keeps it as a layer. A block already held is accepted again without work.</summary>
    /// <returns>True when the block is held; false with the <paramref name="rejection"/> when the diff is refused (the
    /// sender's fault; nothing was kept).</returns>
    /// <exception cref="FollowException"><see cref="FollowError.UnknownParent"/>, <see cref="FollowError.LayerLimit"/>,
    /// <see cref="FollowError.ConflictsWithBase"/> (a block at or below the base), <see cref="FollowError.StateIncomplete"/>.</exception>
    public bool TryAdd(BlockHeader header, ReadOnlyMemory<byte> encodedDiff, out DiffRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(header);
        rejection = null;
        if (Contains(header.Hash)) return true;
        if (header.Number <= Base.Number)
            throw new FollowException(FollowError.ConflictsWithBase, $"Block {header.Number} ({header.Hash}) is not above the finalized state at {Base.Number}.");
        DiffLayer? parent = Layer(header.ParentHash);
        ulong parentNumber = parent?.Number ?? Base.Number;
        if (header.Number != parentNumber + 1)
            throw new ArgumentException($"Block {header.Number} cannot be the child of block {parentNumber}.", nameof(header));
        if (_layers.Count >= _options.MaxLayers || LayerBytes >= _options.MaxLayerBytes)
            throw new FollowException(FollowError.LayerLimit, $"{_layers.Count} layers of about {LayerBytes} bytes are held (limits {_options.MaxLayers} and {_options.MaxLayerBytes}); waiting for finalization.");

        StateDiff diff;
        try
        {
            diff = StateDiff.Decode(encodedDiff.Span);
        }
        catch (StateDiffException e)
        {
            rejection = new DiffRejection(header.Hash, header.Number, DiffRejectionReason.MalformedDiff, $"{e.Reason}: {e.Message}");
            return false;
        }
        var writes = new LayerWrites();
        try
        {
            StateApplier.Write(new LayeredStateReader(_store, parent, _nodes), writes, parent?.StateRoot ?? Base.StateRoot, diff, header.StateRoot);
        }
        catch (StateApplyException e) when (e.Reason != StateApplyError.MissingState)
        {
            DiffRejectionReason reason = e.Reason switch
            {
                StateApplyError.MissingAccount => DiffRejectionReason.MissingAccount,
                StateApplyError.MissingCode => DiffRejectionReason.MissingCode,
                _ => DiffRejectionReason.RootMismatch,
            };
            rejection = new DiffRejection(header.Hash, header.Number, reason, e.Message);
            return false;
        }
        catch (StateApplyException e)
        {
            throw new FollowException(FollowError.StateIncomplete, $"Cannot verify block {header.Number}: {e.Message}", e);
        }
        writes.Commit();
        var layer = new DiffLayer(header, parent, diff, encodedDiff, writes);
        _layers.Add(layer.Hash, layer);
        _nodes.Add(writes);
        LayerBytes += layer.Bytes;
        Publish();
        return true;
    }

    /// <summary>Moves the head to <paramref name="block"/> (the base or a layer) and says how it moved.</summary>
    /// <exception cref="FollowException">For a block that is neither (<see cref="FollowError.UnknownParent"/>).</exception>
    public HeadMove SetHead(Hash256 block)
    {
        DiffLayer? target = Layer(block);
        BlockHeader from = Head;
        // Walk both ends down to the same height, then together until they meet (the base meets everything).
        DiffLayer? a = Layer(from.Hash), b = target;
        int reverted = 0, applied = 0;
        while (a is not null && (b is null || a.Number > b.Number))
        {
            a = a.Parent;
            reverted++;
        }
        while (b is not null && (a is null || b.Number > a.Number))
        {
            b = b.Parent;
            applied++;
        }
        while (a is not null && b is not null && a != b)
        {
            a = a.Parent;
            b = b.Parent;
            reverted++;
            applied++;
        }
        Head = target?.Header ?? Base;
        return new HeadMove(from, Head, a?.Header ?? Base, reverted, applied);
    }

    /// <summary>Makes <paramref name="block"/> final: flattens every layer from the base up to it into the store, one
    /// atomic batch per block (state writes, header as canonical, forward and backward diffs, state-block marker), then
    /// drops every branch that does not descend from it. A block at or below the base changes nothing.</summary>
    /// <returns>The number of blocks flattened.</returns>
    /// <exception cref="FollowException"><see cref="FollowError.UnknownFinalized"/> for a block neither held nor stored at
    /// or below the base; <see cref="FollowError.ConflictsWithBase"/> for a stored block above the base that is not a layer.</exception>
    public int Finalize(Hash256 block)
    {
        if (block == Base.Hash) return 0;
        if (!_layers.TryGetValue(block, out DiffLayer? target))
        {
            if (HeaderStore.TryReadNumber(_store, block, out ulong number) && number <= Base.Number) return 0;
            throw new FollowException(FollowError.UnknownFinalized, $"Finalized block {block} is not held above the base {Base.Number}.");
        }
        var path = new List<DiffLayer>();
        for (DiffLayer? layer = target; layer is not null; layer = layer.Parent) path.Add(layer);
        path.Reverse();
        foreach (DiffLayer layer in path) Flatten(layer);
        if (!Contains(Head.Hash)) Head = Base;
        return path.Count;
    }

    // One block into the store, then the tree re-rooted on it.
    private void Flatten(DiffLayer layer)
    {
        using (IWriteBatch batch = _store.BeginBatch())
        {
            layer.Writes.WriteTo(batch);
            HeaderStore.Write(batch, layer.Number, layer.Hash, layer.Header.Encode());
            HeaderStore.WriteCanonical(batch, layer.Number, layer.Hash);
            StateHistory.Record(_store, batch, layer.Header, layer.Diff, layer.EncodedDiff.Span);
            batch.Commit();
        }
        Base = layer.Header;
        Remove(layer);
        foreach (DiffLayer child in _layers.Values.Where(child => child.Parent == layer)) child.Parent = null;
        // What is left rooted elsewhere grew from the old base beside this block: finality excluded it.
        foreach (DiffLayer stale in _layers.Values.Where(other => other.Root.Header.ParentHash != Base.Hash).ToList()) Remove(stale);
        Publish();
    }

    private void Remove(DiffLayer layer)
    {
        _layers.Remove(layer.Hash);
        _nodes.Release(layer.Writes);
        LayerBytes -= layer.Bytes;
    }

    private DiffLayer? Layer(Hash256 block)
    {
        if (block == Base.Hash) return null;
        return _layers.TryGetValue(block, out DiffLayer? layer)
            ? layer
            : throw new FollowException(FollowError.UnknownParent, $"Block {block} is neither the base ({Base.Number}) nor a layer.");
    }

    private void Publish() => Volatile.Write(ref _published, _layers.ToImmutableDictionary());
}
