using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Xunit;

namespace Mgr.Node.Tests.Swarm;

public sealed class LeecherHoldingsTests
{
    private static readonly KeyspacePartition Accounts = new(1);
    private static readonly EpochAnchor First = new(10, Hash256.Parse("0x" + new string('1', 64)), Hash256.Parse("0x" + new string('2', 64)));
    private static readonly EpochAnchor Second = new(11, Hash256.Parse("0x" + new string('3', 64)), Hash256.Parse("0x" + new string('4', 64)));

    // An account with external storage inside account chunk 0x2…, its storage partitioned at depth 1.
    private static readonly Hash256 Contract = Hash256.Parse("0x2" + new string('5', 63));

    [Fact]
    public void At_a_new_epoch_held_accounts_become_rollable_from_the_old_one_and_held_storage_unconfirmed()
    {
        var holdings = new LeecherHoldings();
        holdings.AddAccounts(Accounts.ChunkAt(2).Range);
        var storage = new StorageProgress(Hash256.Parse("0x" + new string('6', 64))) { Held = KeyRangeSet.Of(new KeyspacePartition(1, Contract).ChunkAt(0).Range) };
        holdings.Storage[Contract] = storage;
        Assert.False(holdings.AnythingToRoll);

        holdings.BeginEpoch(First, Second);

        Assert.True(holdings.Accounts.IsEmpty);
        Assert.Equal(First, holdings.Rollable.FromOf(Accounts.ChunkAt(2).Range));
        Assert.True(holdings.AnythingToRoll);
        Assert.True(storage.Held.IsEmpty);
        Assert.True(storage.Unconfirmed.Contains(new KeyspacePartition(1, Contract).ChunkAt(0).Range));
        Assert.False(holdings.Holds(Accounts.ChunkAt(2)));

        holdings.AddAccounts(Accounts.ChunkAt(2).Range); // rolled forward
        Assert.False(holdings.AnythingToRoll);
        Assert.True(holdings.Holds(Accounts.ChunkAt(2)));
    }

    [Fact]
    public void A_storage_chunk_is_served_only_while_the_leaf_of_its_account_is_held()
    {
        var holdings = new LeecherHoldings();
        ChunkId slots = new KeyspacePartition(1, Contract).ChunkAt(4);
        var progress = new StorageProgress(Hash256.Parse("0x" + new string('6', 64)));
        holdings.Storage[Contract] = progress;
        progress.AddPulled(slots);

        Assert.True(holdings.Holds(slots));
        Assert.False(holdings.CanServe(slots));
        Assert.Equal(1, holdings.IncompleteStorageCount);

        holdings.AddAccounts(Accounts.ChunkAt(2).Range);
        Assert.True(holdings.CanServe(slots));
        Assert.False(holdings.CanServe(Accounts.ChunkAt(3)));
        Assert.False(holdings.IsComplete);
    }

    [Fact]
    public void Giving_up_a_rollable_chunk_leaves_the_rest_of_its_epoch_rollable()
    {
        var holdings = new LeecherHoldings();
        holdings.AddAccounts(KeyRangeSet.From([Accounts.ChunkAt(2).Range, Accounts.ChunkAt(3).Range]).Intervals[0]);
        holdings.BeginEpoch(First, Second);

        holdings.StopRolling(Accounts.ChunkAt(2));

        Assert.Null(holdings.Rollable.FromOf(Accounts.ChunkAt(2).Range));
        Assert.Equal(First, holdings.Rollable.FromOf(Accounts.ChunkAt(3).Range));
    }

    [Fact]
    public void Clear_forgets_every_kind_of_holding()
    {
        var holdings = new LeecherHoldings();
        holdings.AddAccounts(KeyRange.Full);
        holdings.Storage[Contract] = new StorageProgress(Hash256.Parse("0x" + new string('6', 64)));
        holdings.MissingCodes.Add(Hash256.Parse("0x" + new string('7', 64)));
        holdings.BeginEpoch(First, Second);

        holdings.Clear();

        Assert.True(holdings.Accounts.IsEmpty);
        Assert.Empty(holdings.Storage);
        Assert.Empty(holdings.MissingCodes);
        Assert.False(holdings.AnythingToRoll);
    }
}
