using Mgr.Node.State;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Node.Tests.State;

public sealed class StateDiffTests
{
    internal static Hash256 H(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    private static StateDiff Sample()
    {
        Hash256[] accounts = [H(1), H(2), H(3)];
        Array.Sort(accounts);
        Hash256[] slots = [H(10), H(11)];
        Array.Sort(slots);
        byte[] code = [0x60, 0x00, 0x56];
        return new StateDiff(
            [AccountChange.Update(accounts[0], 3, new UInt256(1_000_000_000_000UL), Keccak256.Compute(code)), AccountChange.Delete(accounts[1]),
             AccountChange.Update(accounts[2], 0, UInt256.MaxValue, Hash256.EmptyKeccak)],
            [new StorageChange(accounts[0], [new SlotChange(slots[0], new UInt256(5)), new SlotChange(slots[1], UInt256.Zero)]),
             new StorageChange(accounts[2], [new SlotChange(slots[0], UInt256.MaxValue)])],
            [new CodeEntry(Keccak256.Compute(code), code)]);
    }

    [Fact]
    public void Round_trips_updates_deletions_slots_and_code()
    {
        StateDiff diff = Sample();

        byte[] encoded = diff.Encode();
        StateDiff decoded = StateDiff.Decode(encoded);

        Assert.Equal(diff.Accounts, decoded.Accounts);
        Assert.Equal(diff.Storage.Count, decoded.Storage.Count);
        for (int i = 0; i < diff.Storage.Count; i++)
        {
            Assert.Equal(diff.Storage[i].AddressHash, decoded.Storage[i].AddressHash);
            Assert.Equal(diff.Storage[i].Slots, decoded.Storage[i].Slots);
        }
        Assert.Equal(diff.Code[0].Hash, decoded.Code[0].Hash);
        Assert.Equal(diff.Code[0].Code.ToArray(), decoded.Code[0].Code.ToArray());
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(3, decoded.SlotCount);
    }

    [Fact]
    public void Measured_length_is_the_written_length()
    {
        StateDiff diff = Sample();
        var buffer = new byte[diff.EncodedLength + 10];

        Assert.Equal(diff.EncodedLength, diff.WriteTo(buffer));
        Assert.Equal(StateDiff.Empty.EncodedLength, StateDiff.Empty.Encode().Length);
        Assert.Equal(new byte[] { 0xc3, 0xc0, 0xc0, 0xc0 }, StateDiff.Empty.Encode());
    }

    [Fact]
    public void Rejects_accounts_out_of_order()
    {
        Hash256 low = Hash256.Zero, high = Hash256.MaxValue;

        var e = Assert.Throws<StateDiffException>(() => new StateDiff([AccountChange.Delete(high), AccountChange.Delete(low)], [], []));

        Assert.Equal(StateDiffError.KeysNotAscending, e.Reason);
    }

    [Fact]
    public void Rejects_a_repeated_slot()
    {
        var e = Assert.Throws<StateDiffException>(() => new StateDiff([],
            [new StorageChange(H(1), [new SlotChange(H(2), UInt256.One), new SlotChange(H(2), UInt256.One)])], []));

        Assert.Equal(StateDiffError.KeysNotAscending, e.Reason);
    }

    [Fact]
    public void Rejects_storage_changes_of_a_deleted_account()
    {
        var e = Assert.Throws<StateDiffException>(() => new StateDiff([AccountChange.Delete(H(1))],
            [new StorageChange(H(1), [new SlotChange(H(2), UInt256.One)])], []));

        Assert.Equal(StateDiffError.StorageOfDeletedAccount, e.Reason);
    }

    [Fact]
    public void Rejects_an_empty_slot_list_and_empty_code()
    {
        Assert.Equal(StateDiffError.EmptySlotList,
            Assert.Throws<StateDiffException>(() => new StateDiff([], [new StorageChange(H(1), [])], [])).Reason);
        Assert.Equal(StateDiffError.EmptyCode,
            Assert.Throws<StateDiffException>(() => new StateDiff([], [], [new CodeEntry(Hash256.EmptyKeccak, ReadOnlyMemory<byte>.Empty)])).Reason);
    }

    [Fact]
    public void Rejects_trailing_bytes_after_the_diff()
    {
        byte[] encoded = [.. Sample().Encode(), 0x00];

        var e = Assert.Throws<StateDiffException>(() => StateDiff.Decode(encoded));

        Assert.Equal(StateDiffError.MalformedRlp, e.Reason);
        Assert.IsType<RlpException>(e.InnerException);
    }

    [Fact]
    public void Rejects_an_account_change_with_extra_items()
    {
        // [[ [hash, 1, 1, emptyKeccak, 1] ], [], []]
        byte[] change = Encode(w =>
        {
            int content = Rlp.LengthOf(H(1)) + 1 + 1 + Rlp.LengthOf(Hash256.EmptyKeccak) + 1;
            w.WriteListHeader(content);
            w.Write(H(1));
            w.Write(1UL);
            w.Write(1UL);
            w.Write(Hash256.EmptyKeccak);
            w.Write(1UL);
        }, Rlp.LengthOfList(Rlp.LengthOf(H(1)) + 3 + Rlp.LengthOf(Hash256.EmptyKeccak)));

        var e = Assert.Throws<StateDiffException>(() => StateDiff.Decode(Wrap(change)));

        Assert.Equal(StateDiffError.BadAccountChange, e.Reason);
    }

    [Fact]
    public void Rejects_a_slot_value_with_a_leading_zero()
    {
        // [[], [[hash, [[slotHash, 0x0005]]]], []]: the value has a leading zero byte.
        byte[] slot = Encode(w =>
        {
            w.WriteListHeader(Rlp.LengthOf(H(2)) + 3);
            w.Write(H(2));
            w.WriteBytes([0x00, 0x05]);
        }, Rlp.LengthOfList(Rlp.LengthOf(H(2)) + 3));
        byte[] storageEntry = Encode(w =>
        {
            w.WriteListHeader(Rlp.LengthOf(H(1)) + Rlp.LengthOfList(slot.Length));
            w.Write(H(1));
            w.WriteListHeader(slot.Length);
            w.WriteEncoded(slot);
        }, Rlp.LengthOfList(Rlp.LengthOf(H(1)) + Rlp.LengthOfList(slot.Length)));
        byte[] diff = Encode(w =>
        {
            w.WriteListHeader(1 + Rlp.LengthOfList(storageEntry.Length) + 1);
            w.WriteListHeader(0);
            w.WriteListHeader(storageEntry.Length);
            w.WriteEncoded(storageEntry);
            w.WriteListHeader(0);
        }, Rlp.LengthOfList(2 + Rlp.LengthOfList(storageEntry.Length)));

        var e = Assert.Throws<StateDiffException>(() => StateDiff.Decode(diff));

        Assert.Equal(StateDiffError.MalformedRlp, e.Reason);
    }

    [Fact]
    public void Rejects_code_entries_out_of_hash_order()
    {
        byte[] a = [1], b = [2];
        (byte[] first, byte[] second) = Keccak256.Compute(a).CompareTo(Keccak256.Compute(b)) > 0 ? (a, b) : (b, a);
        byte[] diff = Encode(w =>
        {
            w.WriteListHeader(2 + Rlp.LengthOfList(2));
            w.WriteListHeader(0);
            w.WriteListHeader(0);
            w.WriteListHeader(2);
            w.WriteBytes(first);
            w.WriteBytes(second);
        }, Rlp.LengthOfList(2 + Rlp.LengthOfList(2)));

        var e = Assert.Throws<StateDiffException>(() => StateDiff.Decode(diff));

        Assert.Equal(StateDiffError.KeysNotAscending, e.Reason);
    }

    [Fact]
    public void Random_diffs_round_trip()
    {
        var random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            StateDiff diff = StateApplierTests.RandomDiff(random, existing: [], maxAccounts: 8);
            byte[] encoded = diff.Encode();
            Assert.Equal(encoded, StateDiff.Decode(encoded).Encode());
        }
    }

    private delegate void Writing(ref RlpWriter writer);

    private static byte[] Encode(Action<Writer> write, int length)
    {
        var bytes = new byte[length];
        var writer = new Writer(bytes);
        write(writer);
        Assert.Equal(length, writer.Written);
        return bytes;
    }

    private static byte[] Wrap(byte[] accountEntry)
    {
        return Encode(w =>
        {
            w.WriteListHeader(Rlp.LengthOfList(accountEntry.Length) + 2);
            w.WriteListHeader(accountEntry.Length);
            w.WriteEncoded(accountEntry);
            w.WriteListHeader(0);
            w.WriteListHeader(0);
        }, Rlp.LengthOfList(Rlp.LengthOfList(accountEntry.Length) + 2));
    }

    // A class wrapper so lambdas can write (RlpWriter is a ref struct).
    private sealed class Writer(byte[] buffer)
    {
        public int Written { get; private set; }

        public void WriteListHeader(int content) => Do((ref RlpWriter w) => w.WriteListHeader(content));
        public void Write(Hash256 value) => Do((ref RlpWriter w) => w.Write(value));
        public void Write(ulong value) => Do((ref RlpWriter w) => w.Write(value));
        public void WriteBytes(byte[] value) => Do((ref RlpWriter w) => w.WriteBytes(value));
        public void WriteEncoded(byte[] value) => Do((ref RlpWriter w) => w.WriteEncoded(value));

        private void Do(Writing write)
        {
            var writer = new RlpWriter(buffer.AsSpan(Written));
            write(ref writer);
            Written += writer.Written;
        }
    }
}
