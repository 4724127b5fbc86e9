using Mgr.Fuzz.Engine;
using Mgr.Node.State;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>StateDiff.Decode (follow-mode state diffs). Oracle: an accepted diff re-encodes to its input. Documented
/// failure: <see cref="StateDiffException"/>. Budget: 32 KiB + 64 B per input byte (a change record per item, which can be one byte of input; copied code).</summary>
internal sealed class StateDiffTarget : FuzzTarget
{
    public override string Name => "state-diff";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(32 * 1024, 64);

    public override IEnumerable<byte[]> Seeds()
    {
        byte[] code = [0x60, 0x00, 0x60, 0x00, 0xf3];
        yield return StateDiff.Empty.Encode();
        yield return new StateDiff(
            [AccountChange.Update(Keccak256.Compute([1]), 1, UInt256.FromBigEndian([0x10]), Keccak256.Compute(code)), AccountChange.Delete(Keccak256.Compute([2]))],
            [new StorageChange(Keccak256.Compute([1]), [new SlotChange(Keccak256.Compute([3]), UInt256.FromBigEndian([0x01])), new SlotChange(Keccak256.Compute([4]), UInt256.Zero)])],
            [new CodeEntry(Keccak256.Compute(code), code)]).Encode();
    }

    public override string Execute(byte[] input)
    {
        StateDiff diff = StateDiff.Decode(input);
        if (!diff.Encode().AsSpan().SequenceEqual(input)) throw new FuzzOracleException("accepted state diff re-encodes differently");
        return diff.Accounts.Count == 0 && diff.Storage.Count == 0 && diff.Code.Count == 0 ? "empty" : "changes";
    }

    public override string? Classify(Exception error) => error is StateDiffException diff ? $"diff:{diff.Reason}" : null;
}
