using Mgr.Fuzz.Engine;
using Mgr.Trie.Rlp;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>RlpReader over arbitrary bytes: walks the whole structure (every list entered, every string read, and every
/// of the first <see cref="TypedProbes"/> strings also read as the integer, hash and bool it might be), so each reader
/// path meets the bytes. Documented failure: <see cref="RlpException"/>. Budget: 32 KiB constant, nothing per input
/// byte: the reader allocates nothing, and the constant covers the typed probes' caught exceptions and the final one
/// (whose stack trace grows with nesting depth, at most <see cref="RlpReader.MaxDepth"/>).</summary>
internal sealed class RlpStructureTarget : FuzzTarget
{
    /// <summary>Strings per input also probed with the typed reads (each failed probe allocates its exception).</summary>
    public const int TypedProbes = 4;

    public override string Name => "rlp";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(32 * 1024, 0);

    public override IEnumerable<byte[]> Seeds() =>
    [
        [0x80], [0x00], [0x7f], [0x81, 0x80], [0xc0], [0xc1, 0xc0], [0x83, 0x64, 0x6f, 0x67], [0xc8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6f, 0x67],
        [0xb8, 0x38, .. new byte[56]], [0xf8, 0x3a, 0xb8, 0x38, .. new byte[56]], [0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0],
        [0xa0, .. Enumerable.Range(0, 32).Select(i => (byte)i)], [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ];

    public override string Execute(byte[] input)
    {
        var reader = new RlpReader(input);
        int probes = TypedProbes;
        int items = Walk(ref reader, ref probes);
        return items > 8 ? "many" : items.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string? Classify(Exception error) => error is RlpException rlp ? $"rlp:{rlp.Reason}" : null;

    private static int Walk(ref RlpReader reader, ref int probes)
    {
        int items = 0;
        while (!reader.IsEnd)
        {
            items++;
            if (reader.PeekIsList)
            {
                RlpReader copy = reader;
                ReadOnlySpan<byte> whole = copy.ReadEncodedItem();
                RlpReader inner = reader.ReadList();
                if (whole.IsEmpty) throw new FuzzOracleException("ReadEncodedItem returned nothing for a list");
                items += Walk(ref inner, ref probes);
                inner.EnsureEnd();
                continue;
            }
            RlpReader probe = reader;
            ReadOnlySpan<byte> bytes = reader.ReadBytes();
            if (probes-- > 0) TryTyped(probe, bytes.Length);
        }
        reader.EnsureEnd();
        return items;
    }

    // Each typed read either succeeds with a value consistent with the bytes or throws RlpException.
    private static void TryTyped(RlpReader probe, int length)
    {
        try
        {
            RlpReader integer = probe;
            ulong value = integer.ReadUInt64();
            if (length > 8 || (value == 0) != (length == 0)) throw new FuzzOracleException($"ReadUInt64 accepted {length} bytes as {value}");
        }
        catch (RlpException)
        {
        }
        try
        {
            RlpReader wide = probe;
            _ = wide.ReadUInt256();
        }
        catch (RlpException)
        {
        }
        try
        {
            RlpReader hash = probe;
            _ = hash.ReadHash();
            if (length != 32) throw new FuzzOracleException($"ReadHash accepted {length} bytes");
        }
        catch (RlpException)
        {
        }
        try
        {
            RlpReader flag = probe;
            _ = flag.ReadBool();
        }
        catch (RlpException)
        {
        }
    }
}
