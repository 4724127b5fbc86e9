using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class StatusTests
{
    private static Status Seeder() => (Status)MessageVectorTests.Sample("status-seeder");

    private static byte[] Encode(IMessage message) => MessageVectorTests.Payload(message);

    [Fact]
    public void Round_trips_a_leecher_with_storage_haves()
    {
        var status = (Status)MessageVectorTests.Sample("status-leecher");

        Status decoded = Status.Decode(Encode(status));

        Assert.Equal(status.HaveAccounts, decoded.HaveAccounts);
        Assert.Equal(status.HaveStorage.Single(), decoded.HaveStorage.Single());
        Assert.Equal(status.Epoch, decoded.Epoch);
        Assert.Equal(status.ForkId, decoded.ForkId);
    }

    [Fact]
    public void Rejects_an_unknown_role()
    {
        byte[] payload = Encode(Seeder() with { Role = (Role)2 });

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_have_sets_without_an_epoch()
    {
        byte[] payload = Encode(Seeder() with { Epoch = null });

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_a_seeder_without_an_epoch()
    {
        byte[] payload = Encode(Seeder() with { Epoch = null, HaveAccounts = KeyRangeSet.Empty });

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_storage_haves_out_of_account_order()
    {
        var one = new StorageHave(H("b"), KeyRangeSet.Full);
        var two = new StorageHave(H("a"), KeyRangeSet.Full);
        StorageHave[] entries = one.Account > two.Account ? [one, two] : [two, one];
        byte[] payload = Encode(Seeder() with { HaveStorage = entries });

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_more_storage_haves_than_the_limit()
    {
        StorageHave[] entries = [.. Enumerable.Range(0, Limits.MaxStorageHaveEntries + 1)
            .Select(i => new Mgr.Trie.Primitives.Hash256(0, 0, 0, (ulong)i + 1))
            .Select(account => new StorageHave(account, KeyRangeSet.Empty))];
        byte[] payload = Encode(Seeder() with { HaveStorage = entries });

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_a_fork_hash_that_is_not_four_bytes()
    {
        byte[] badForkId = RlpBuild.List(RlpBuild.Str([0xfc, 0x64, 0xec, 0x04, 0x00]), RlpBuild.U(1_150_000));
        byte[] payload = ReplaceField(Encode(Seeder()), 3, badForkId);

        RlpBuild.Rejects(ViolationReason.WrongType, () => Status.Decode(payload));
    }

    [Fact]
    public void Rejects_a_non_canonical_version_integer()
    {
        byte[] payload = ReplaceField(Encode(Seeder()), 0, RlpBuild.Str([0x00, 0x01]));

        RlpBuild.Rejects(ViolationReason.NonCanonical, () => Status.Decode(payload));
    }

    /// <summary>Rebuilds the message list with field <paramref name="index"/> replaced by <paramref name="item"/>.</summary>
    internal static byte[] ReplaceField(byte[] payload, int index, byte[] item)
    {
        var outer = new Mgr.Trie.Rlp.RlpReader(payload);
        Mgr.Trie.Rlp.RlpReader fields = outer.ReadList();
        var items = new List<byte[]>();
        while (!fields.IsEnd) items.Add(fields.ReadEncodedItem().ToArray());
        items[index] = item;
        return RlpBuild.List([.. items]);
    }
}
