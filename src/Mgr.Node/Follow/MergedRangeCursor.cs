using Mgr.Node.Storage;

namespace Mgr.Node.Follow;

/// <summary>A range cursor over the store's entries merged with in-memory ones, in key order: store entries that
/// <c>hidden</c> names (changed or removed in memory) are skipped, and the in-memory entries (already in range and
/// ascending) take their place.</summary>
/// <remarks>Owns the store cursor (disposed with this one). Keys and values are valid until the next move, as for
/// every <see cref="IRangeCursor"/>. Not thread-safe.</remarks>
internal sealed class MergedRangeCursor(IRangeCursor store, List<KeyValuePair<byte[], byte[]>> entries, MergedRangeCursor.KeyFilter hidden) : IRangeCursor
{
    /// <summary>True for a store key that memory overrides.</summary>
    public delegate bool KeyFilter(ReadOnlySpan<byte> storeKey);

    private bool _started;
    private bool _storeReady;
    private bool _onStore;
    private int _next;

    public ReadOnlySpan<byte> Key => _onStore ? store.Key : entries[_next].Key;

    public ReadOnlySpan<byte> Value => _onStore ? store.Value : entries[_next].Value;

    public bool MoveNext()
    {
        if (!_started)
        {
            _started = true;
            _storeReady = AdvanceStore();
        }
        else if (_onStore)
        {
            _storeReady = AdvanceStore();
        }
        else
        {
            _next++;
        }
        bool memoryReady = _next < entries.Count;
        if (!_storeReady && !memoryReady)
        {
            _onStore = false;
            return false;
        }
        _onStore = _storeReady && (!memoryReady || store.Key.SequenceCompareTo(entries[_next].Key) < 0);
        return true;
    }

    public void Dispose() => store.Dispose();

    private bool AdvanceStore()
    {
        while (store.MoveNext())
        {
            if (!hidden(store.Key)) return true;
        }
        return false;
    }
}
