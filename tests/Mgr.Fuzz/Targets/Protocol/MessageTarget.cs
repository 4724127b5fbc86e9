using Mgr.Fuzz.Engine;
using Mgr.Protocol.Messages;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>Every MGR message through MessageDecoder.Decode: input is <c>code ‖ RLP payload</c>. Oracle: an accepted
/// message re-encodes to its payload (the decoders are strict). Documented failure: <see cref="ProtocolViolationException"/>.
/// Budget: 32 KiB + 64 B per input byte (a record per item — a trie-node path can be one input byte — copied values, the
/// oracle's re-encoding).</summary>
internal sealed class MessageTarget : FuzzTarget
{
    public override string Name => "mgr-message";

    public override InputFormat Format => InputFormat.Rlp;

    public override int StructureOffset => 1;

    public override AllocationBudget Budget => new(32 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() => [];

    public override IEnumerable<byte[]> Tokens() => [.. Enumerable.Range(0, 18).Select(code => new[] { (byte)code })];

    public override string Execute(byte[] input)
    {
        if (input.Length == 0) return "empty";
        IMessage message = MessageDecoder.Decode(input[0], input.AsSpan(1));
        var again = new byte[message.EncodedLength()];
        message.WriteTo(again);
        if (!again.AsSpan().SequenceEqual(input.AsSpan(1))) throw new FuzzOracleException($"accepted {message.Code} re-encodes to {Convert.ToHexStringLower(again)}");
        return message.Code.ToString();
    }

    public override string? Classify(Exception error) => error is ProtocolViolationException violation ? $"violation:{violation.Reason}" : null;
}
