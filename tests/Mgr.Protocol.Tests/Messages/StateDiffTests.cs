using Mgr.Protocol.Messages;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using static Mgr.Protocol.Tests.Messages.RlpBuild;

namespace Mgr.Protocol.Tests.Messages;

public sealed class StateDiffTests
{
    private static readonly Hash256 Low = Hash256.Parse("0x1000000000000000000000000000000000000000000000000000000000000000");
    private static readonly Hash256 High = Hash256.Parse("0x2000000000000000000000000000000000000000000000000000000000000000");

    private static byte[] Message(byte[] diff) => List(U(3), List(H(MessageSamples.H("block")), U(9)), diff);

    private static byte[] Update(Hash256 key) => List(H(key), U(1), U(2), H(Hash256.EmptyKeccak));

    private static byte[] Diff(byte[] accounts, byte[] storage, byte[] code) => List(accounts, storage, code);

    [Fact]
    public void Round_trips_the_diff_bytes_verbatim()
    {
        byte[] diff = MessageSamples.SampleStateDiff();

        StateDiff decoded = StateDiff.Decode(Message(diff));

        Assert.Equal(diff, decoded.Diff.ToArray());
        Assert.Equal(new BlockRef(MessageSamples.H("block"), 9), decoded.Block);
        Assert.Equal(3UL, decoded.RequestId);
    }

    [Fact]
    public void Rejects_accounts_out_of_key_order()
    {
        byte[] payload = Message(Diff(List(Update(High), Update(Low)), List(), List()));

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_an_account_change_with_three_items()
    {
        byte[] payload = Message(Diff(List(List(H(Low), U(1), U(2))), List(), List()));

        RlpBuild.Rejects(ViolationReason.Truncated, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_storage_changes_of_a_deleted_account()
    {
        byte[] payload = Message(Diff(List(List(H(Low))), List(List(H(Low), List(List(H(High), U(5))))), List()));

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_storage_entry_without_slots()
    {
        byte[] payload = Message(Diff(List(), List(List(H(Low), List())), List()));

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_slots_out_of_key_order()
    {
        byte[] payload = Message(Diff(List(), List(List(H(Low), List(List(H(High), U(1)), List(H(Low), U(2))))), List()));

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_slot_value_wider_than_32_bytes()
    {
        byte[] wide = new byte[33];
        wide[0] = 1;
        byte[] payload = Message(Diff(List(), List(List(H(Low), List(List(H(High), Str(wide))))), List()));

        RlpBuild.Rejects(ViolationReason.WrongType, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_code_not_ordered_by_its_hash()
    {
        byte[] a = [0x60, 0x01], b = [0x60, 0x02];
        (byte[] first, byte[] second) = Keccak256.Compute(a) < Keccak256.Compute(b) ? (b, a) : (a, b);
        byte[] payload = Message(Diff(List(), List(), List(Str(first), Str(second))));

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_empty_code()
    {
        byte[] payload = Message(Diff(List(), List(), List(Str([]))));

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_diff_that_is_a_string_instead_of_a_list()
    {
        byte[] payload = Message(Str([1, 2, 3]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_diff_larger_than_the_limit()
    {
        // One code entry per 256 KiB, 33 of them: just over MaxStateDiffBytes (8 MiB), each code individually legal.
        var codes = new List<byte[]>();
        for (int i = 0; i < 33; i++)
        {
            var code = new byte[Limits.MaxCodeBytes];
            code[0] = (byte)i;
            codes.Add(code);
        }
        codes.Sort((x, y) => Keccak256.Compute(x).CompareTo(Keccak256.Compute(y)));
        byte[] payload = Message(Diff(List(), List(), List([.. codes.Select(code => Str(code))])));

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => StateDiff.Decode(payload));
    }

    [Fact]
    public void An_invalid_state_diff_is_a_serious_penalty()
    {
        Assert.Equal(Penalty.Serious, PenaltyTable.For(ViolationReason.InvalidStateDiff));
        Assert.Null(PenaltyTable.DisconnectFor(ViolationReason.InvalidStateDiff));
    }
}
