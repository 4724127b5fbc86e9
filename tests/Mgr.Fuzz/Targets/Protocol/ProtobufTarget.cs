using Mgr.Fuzz.Engine;
using Mgr.Protocol.Encoding;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>ProtobufReader over arbitrary bytes: reads every tag, reads varints and length-delimited fields, skips the
/// rest, and descends into length-delimited fields as nested messages. Documented failure: <see cref="ProtobufException"/>.
/// Budget: 32 KiB constant, nothing per input byte: the reader allocates nothing; the constant covers at most
/// <see cref="MaxNestedWalks"/> caught exceptions from nested walks and the final one.</summary>
internal sealed class ProtobufTarget : FuzzTarget
{
    private const int MaxNesting = 8;

    /// <summary>Length-delimited fields per input also walked as nested messages.</summary>
    public const int MaxNestedWalks = 8;

    private int _nestedWalks;

    public override string Name => "protobuf";

    public override InputFormat Format => InputFormat.Protobuf;

    public override AllocationBudget Budget => new(32 * 1024, 0);

    public override IEnumerable<byte[]> Seeds() => [[0x08, 0x96, 0x01], [0x12, 0x03, 0x0a, 0x01, 0x41], [0x0d, 1, 2, 3, 4, 0x11, 1, 2, 3, 4, 5, 6, 7, 8]];

    public override string Execute(byte[] input)
    {
        _nestedWalks = 0;
        return Walk(input, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string? Classify(Exception error) => error is ProtobufException protobuf ? $"protobuf:{protobuf.Reason}" : null;

    private int Walk(ReadOnlySpan<byte> input, int depth)
    {
        var reader = new ProtobufReader(input);
        int fields = 0;
        while (reader.TryReadTag(out _, out ProtobufWireType wire))
        {
            fields++;
            switch (wire)
            {
                case ProtobufWireType.Varint:
                    _ = reader.ReadVarint();
                    break;
                case ProtobufWireType.LengthDelimited:
                    ReadOnlySpan<byte> nested = reader.ReadLengthDelimited();
                    if (depth < MaxNesting && _nestedWalks++ < MaxNestedWalks)
                    {
                        try
                        {
                            fields += Walk(nested, depth + 1);
                        }
                        catch (ProtobufException)
                        {
                            // Not every byte string is a message; the outer walk goes on.
                        }
                    }
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return Math.Min(fields, 5);
    }
}
