namespace Mgr.Fuzz.Engine;

/// <summary>A lenient parse of RLP bytes into a mutable tree, for structure-aware mutations. Independent of the
/// project's <c>RlpReader</c> on purpose: it must accept what the reader rejects and re-encode it with the headers
/// fixed up (or deliberately broken) so mutants reach past the outer length checks.</summary>
internal sealed class RlpTree
{
    private const int MaxParseDepth = 128;

    public bool IsList { get; set; }

    public byte[] Payload { get; set; } = [];

    public List<RlpTree> Items { get; } = [];

    /// <summary>Encode this item's header in the long form even when it fits the short one (non-canonical).</summary>
    public bool LongHeader { get; set; }

    /// <summary>Parses exactly one item filling <paramref name="data"/>; null when the bytes are not RLP.</summary>
    public static RlpTree? TryParse(ReadOnlySpan<byte> data)
    {
        int position = 0;
        RlpTree? tree = TryParseItem(data, ref position, 0);
        return tree is not null && position == data.Length ? tree : null;
    }

    public static RlpTree String(byte[] payload) => new() { Payload = payload };

    public static RlpTree List(params RlpTree[] items)
    {
        var tree = new RlpTree { IsList = true };
        tree.Items.AddRange(items);
        return tree;
    }

    /// <summary>This node and every node below it, depth first.</summary>
    public IEnumerable<(RlpTree Node, RlpTree? Parent)> Walk(RlpTree? parent = null)
    {
        yield return (this, parent);
        foreach (RlpTree item in Items)
        {
            foreach ((RlpTree Node, RlpTree? Parent) inner in item.Walk(this)) yield return inner;
        }
    }

    public RlpTree Clone()
    {
        var copy = new RlpTree { IsList = IsList, Payload = Payload, LongHeader = LongHeader };
        foreach (RlpTree item in Items) copy.Items.Add(item.Clone());
        return copy;
    }

    public byte[] Encode()
    {
        using var output = new MemoryStream();
        EncodeTo(output);
        return output.ToArray();
    }

    private void EncodeTo(MemoryStream output)
    {
        byte[] payload;
        if (IsList)
        {
            using var inner = new MemoryStream();
            foreach (RlpTree item in Items) item.EncodeTo(inner);
            payload = inner.ToArray();
        }
        else
        {
            payload = Payload;
            if (payload.Length == 1 && payload[0] < 0x80 && !LongHeader)
            {
                output.WriteByte(payload[0]);
                return;
            }
        }
        byte shortBase = IsList ? (byte)0xc0 : (byte)0x80;
        if (payload.Length < 56 && !LongHeader)
        {
            output.WriteByte((byte)(shortBase + payload.Length));
        }
        else
        {
            int lengthBytes = payload.Length switch { < 0x100 => 1, < 0x10000 => 2, < 0x1000000 => 3, _ => 4 };
            output.WriteByte((byte)(shortBase + 55 + lengthBytes));
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) output.WriteByte((byte)(payload.Length >> shift));
        }
        output.Write(payload);
    }

    private static RlpTree? TryParseItem(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (position >= data.Length || depth > MaxParseDepth) return null;
        byte prefix = data[position];
        if (prefix < 0x80)
        {
            position++;
            return String([prefix]);
        }
        bool isList = prefix >= 0xc0;
        int shortBase = isList ? 0xc0 : 0x80;
        long length;
        int header;
        if (prefix - shortBase <= 55)
        {
            length = prefix - shortBase;
            header = 1;
        }
        else
        {
            int lengthBytes = prefix - shortBase - 55;
            if (lengthBytes > 4 || position + 1 + lengthBytes > data.Length) return null;
            length = 0;
            for (int i = 0; i < lengthBytes; i++) length = (length << 8) | data[position + 1 + i];
            header = 1 + lengthBytes;
        }
        if (length > data.Length - position - header) return null;
        ReadOnlySpan<byte> payload = data.Slice(position + header, (int)length);
        position += header + (int)length;
        if (!isList) return String(payload.ToArray());
        var list = new RlpTree { IsList = true };
        int inner = 0;
        while (inner < payload.Length)
        {
            RlpTree? item = TryParseItem(payload, ref inner, depth + 1);
            if (item is null) return null;
            list.Items.Add(item);
        }
        return list;
    }
}
