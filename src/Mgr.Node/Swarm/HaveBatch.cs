using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>The chunks a leecher gained since it last told its peers (spec/mgr-protocol.md §4.4): collected here and
/// sent as one <see cref="Haves"/> after <see cref="SwarmOptions.HaveBatchChunks"/> chunks or every
/// <see cref="SwarmOptions.HaveBatchInterval"/>, whichever comes first.</summary>
/// <remarks>Owned by the engine's loop, like the engine.</remarks>
internal sealed class HaveBatch(SwarmOptions options)
{
    private readonly List<KeyRange> _accounts = [];
    private readonly Dictionary<Hash256, List<KeyRange>> _storage = [];
    private int _chunks;
    private TimeSpan _lastFlush;

    /// <summary>Adds a chunk just held; true when the batch is full and should be sent now.</summary>
    public bool Add(ChunkId chunk)
    {
        if (chunk.Account is { } account)
        {
            if (!_storage.TryGetValue(account, out List<KeyRange>? ranges)) _storage[account] = ranges = [];
            ranges.Add(chunk.Range);
        }
        else _accounts.Add(chunk.Range);
        return ++_chunks >= options.HaveBatchChunks;
    }

    /// <summary>The Haves to send for epoch <paramref name="epochHash"/> now, emptying the batch; null when it is empty
    /// or, unless <paramref name="force"/>, the interval has not passed since the last one.</summary>
    public Haves? Take(Hash256 epochHash, TimeSpan now, bool force)
    {
        if (_chunks == 0) return null;
        if (!force && now - _lastFlush < options.HaveBatchInterval) return null;
        var storage = _storage.OrderBy(static entry => entry.Key).Take(Limits.MaxStorageHaveEntries)
                              .Select(static entry => new StorageHave(entry.Key, KeyRangeSet.From(entry.Value))).ToList();
        var haves = new Haves(epochHash, KeyRangeSet.From(_accounts), storage);
        Clear();
        _lastFlush = now;
        return haves;
    }

    /// <summary>Forgets the batch (a Status that says it all was just sent).</summary>
    public void Clear()
    {
        _accounts.Clear();
        _storage.Clear();
        _chunks = 0;
    }
}
