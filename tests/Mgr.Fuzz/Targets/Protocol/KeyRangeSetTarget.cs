using System.Buffers;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Rlp;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>KeyRangeSet.Read (have-sets from peers). Oracle: an accepted set re-encodes to its input.
/// Documented failures: <see cref="ProtocolViolationException"/> and <see cref="RlpException"/>. Budget: 8 KiB + 4 B per input byte
/// (the interval array is at most the input's size; the oracle re-encodes).</summary>
internal sealed class KeyRangeSetTarget : FuzzTarget
{
    public override string Name => "key-range-set";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(8192, 4);

    public override IEnumerable<byte[]> Seeds() => [];

    public override string Execute(byte[] input)
    {
        var reader = new RlpReader(input);
        KeyRangeSet set = KeyRangeSet.Read(ref reader);
        reader.EnsureEnd();
        var again = new byte[set.EncodedLength()];
        var writer = new RlpWriter(again);
        set.WriteTo(ref writer);
        if (!again.AsSpan().SequenceEqual(input)) throw new FuzzOracleException($"accepted range set re-encodes to {Convert.ToHexStringLower(again)}");
        return set.IsEmpty ? "empty" : set.IsFull ? "full" : set.Count == 1 ? "one" : "several";
    }

    public override string? Classify(Exception error) => error switch
    {
        ProtocolViolationException violation => $"violation:{violation.Reason}",
        RlpException rlp => $"rlp:{rlp.Reason}",
        _ => null,
    };
}
