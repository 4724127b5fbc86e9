using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>The store writes of one block's state, held in memory instead of committed: an <see cref="IWriteBatch"/> that
/// <see cref="Mgr.Node.State.StateApplier"/> writes into when it verifies a diff on top of a layer. It keeps what the
/// flat state would hold after the block (accounts and slots set or deleted, accounts whose whole storage was cleared),
/// the new trie nodes and the new code, answers point reads of them, and replays them into a real batch when the
/// block is flattened.</summary>
/// <remarks>
/// <para>Only the writes a state diff makes are accepted: puts and deletes of <see cref="Schema.Accounts"/>,
/// <see cref="Schema.StorageSlots"/>, <see cref="Schema.TrieNodes"/> and <see cref="Schema.Code"/>, and range deletes
/// covering exactly one account's storage. Anything else is an <see cref="InvalidOperationException"/> (a bug, not peer
/// input). <see cref="Commit"/> only seals the writes. Not thread-safe while written; read-only afterwards.</para>
/// <para><see cref="Bytes"/> estimates the memory held (keys, values and per-entry overhead), for the follower's bound.</para>
/// </remarks>
public sealed class LayerWrites : IWriteBatch
{
    // Rough per-entry overhead of a dictionary entry and its array header, for the memory estimate.
    private const int EntryOverhead = 64;

    private readonly Dictionary<Hash256, byte[]?> _accounts = [];
    private readonly Dictionary<SlotKey, byte[]?> _slots = [];
    private readonly HashSet<Hash256> _cleared = [];
    private readonly Dictionary<Hash256, byte[]> _nodes = [];
    private readonly Dictionary<Hash256, byte[]> _code = [];
    private bool _sealed;

    /// <summary>Estimated bytes held.</summary>
    public long Bytes { get; private set; }

    public int Count { get; private set; }

    /// <summary>Flat accounts this block set (value) or deleted (null).</summary>
    public IReadOnlyDictionary<Hash256, byte[]?> Accounts => _accounts;

    /// <summary>Flat slots this block set (value) or deleted (null), after any clearing of their account.</summary>
    public IReadOnlyDictionary<SlotKey, byte[]?> Slots => _slots;

    /// <summary>Accounts whose whole storage this block cleared (deleted accounts).</summary>
    public IReadOnlySet<Hash256> ClearedStorage => _cleared;

    /// <summary>Trie nodes this block created.</summary>
    public IReadOnlyDictionary<Hash256, byte[]> Nodes => _nodes;

    /// <summary>Code this block added.</summary>
    public IReadOnlyDictionary<Hash256, byte[]> Code => _code;

    /// <summary>True when this block decides the account: <paramref name="value"/> is its flat value, null if deleted.</summary>
    public bool TryGetAccount(Hash256 account, out byte[]? value) => _accounts.TryGetValue(account, out value);

    /// <summary>True when this block decides the slot: <paramref name="value"/> is its flat value, null if deleted or
    /// cleared with its account.</summary>
    public bool TryGetSlot(SlotKey slot, out byte[]? value)
    {
        if (_slots.TryGetValue(slot, out value)) return true;
        value = null;
        return _cleared.Contains(slot.Account);
    }

    public void Put(StoreColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckOpen();
        byte[] copy = value.ToArray();
        if (column == Schema.Accounts) Set(_accounts, new Hash256(Exact(key, Hash256.Length)), copy, key.Length);
        else if (column == Schema.StorageSlots) Set(_slots, SlotKey.Read(Exact(key, Schema.StorageSlotKeyLength)), copy, key.Length);
        else if (column == Schema.TrieNodes) Add(_nodes, new Hash256(Exact(key, Hash256.Length)), copy);
        else if (column == Schema.Code) Add(_code, new Hash256(Exact(key, Hash256.Length)), copy);
        else throw Unsupported(column);
        Count++;
    }

    public void Delete(StoreColumn column, ReadOnlySpan<byte> key)
    {
        CheckOpen();
        if (column == Schema.Accounts) Set(_accounts, new Hash256(Exact(key, Hash256.Length)), null, key.Length);
        else if (column == Schema.StorageSlots) Set(_slots, SlotKey.Read(Exact(key, Schema.StorageSlotKeyLength)), null, key.Length);
        else throw Unsupported(column);
        Count++;
    }

    public void DeleteRange(StoreColumn column, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> toKeyExclusive)
    {
        CheckOpen();
        if (column != Schema.StorageSlots || !IsOneAccountsStorage(fromKey, toKeyExclusive))
            throw new InvalidOperationException($"A layer records only range deletes of one account's storage, not of '{column.Name}'.");
        var account = new Hash256(fromKey[..Hash256.Length]);
        if (_cleared.Add(account)) Bytes += Hash256.Length + EntryOverhead;
        foreach (SlotKey earlier in _slots.Keys.Where(slot => slot.Account == account).ToList()) _slots.Remove(earlier);
        Count++;
    }

    /// <summary>Seals the writes: a layer is flattened with <see cref="WriteTo"/>, never committed itself.</summary>
    public void Commit() => _sealed = true;

    /// <summary>Adds every write to <paramref name="batch"/> so that committing it leaves the store as if the block had
    /// been applied there: storage clearing first, then accounts, slots, code and trie nodes.</summary>
    public void WriteTo(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Span<byte> end = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        foreach (Hash256 account in _cleared)
        {
            account.CopyTo(key);
            key.Slice(Hash256.Length, Hash256.Length).Clear();
            account.CopyTo(end);
            end.Slice(Hash256.Length, Hash256.Length).Fill(0xff);
            end[Schema.StorageSlotKeyLength] = 0;
            batch.DeleteRange(Schema.StorageSlots, key[..Schema.StorageSlotKeyLength], end);
        }
        foreach ((Hash256 account, byte[]? value) in _accounts)
        {
            account.CopyTo(key);
            if (value is null) batch.Delete(Schema.Accounts, key[..Hash256.Length]);
            else batch.Put(Schema.Accounts, key[..Hash256.Length], value);
        }
        foreach ((SlotKey slot, byte[]? value) in _slots)
        {
            slot.WriteTo(key);
            if (value is null) batch.Delete(Schema.StorageSlots, key[..Schema.StorageSlotKeyLength]);
            else batch.Put(Schema.StorageSlots, key[..Schema.StorageSlotKeyLength], value);
        }
        foreach ((Hash256 hash, byte[] code) in _code) CodeStore.Write(batch, hash, code);
        foreach ((Hash256 hash, byte[] node) in _nodes) TrieNodeStore.Write(batch, hash, node);
    }

    public void Dispose()
    {
        // Nothing native to release: the writes stay readable until the layer is dropped.
    }

    private void Set<TKey>(Dictionary<TKey, byte[]?> map, TKey key, byte[]? value, int keyLength) where TKey : notnull
    {
        if (map.TryGetValue(key, out byte[]? previous)) Bytes -= previous?.Length ?? 0;
        else Bytes += keyLength + EntryOverhead;
        map[key] = value;
        Bytes += value?.Length ?? 0;
    }

    private void Add(Dictionary<Hash256, byte[]> map, Hash256 key, byte[] value)
    {
        if (map.TryAdd(key, value)) Bytes += Hash256.Length + EntryOverhead + value.Length;
    }

    private void CheckOpen()
    {
        if (_sealed) throw new InvalidOperationException("This layer's writes are sealed.");
    }

    private static ReadOnlySpan<byte> Exact(ReadOnlySpan<byte> key, int length) =>
        key.Length == length ? key : throw new InvalidOperationException($"A key of {key.Length} bytes where {length} belong.");

    // [account ‖ 00…00, account ‖ ff…ff ‖ 00): the range StateApplier clears when it deletes an account.
    private static bool IsOneAccountsStorage(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to) =>
        from.Length == Schema.StorageSlotKeyLength && to.Length == Schema.StorageSlotKeyLength + 1
        && from[..Hash256.Length].SequenceEqual(to[..Hash256.Length])
        && !from[Hash256.Length..].ContainsAnyExcept((byte)0)
        && !to.Slice(Hash256.Length, Hash256.Length).ContainsAnyExcept((byte)0xff)
        && to[Schema.StorageSlotKeyLength] == 0;

    private static InvalidOperationException Unsupported(StoreColumn column) =>
        new($"A layer records only state writes, not writes to '{column.Name}'.");
}
