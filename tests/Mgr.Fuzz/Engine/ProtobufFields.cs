namespace Mgr.Fuzz.Engine;

/// <summary>A lenient split of protobuf bytes into (tag, value) fields, for structure-aware mutations; re-encodes with
/// correct lengths so mutated values reach the decoder's field handling.</summary>
internal static class ProtobufFields
{
    /// <summary>One field: its raw tag varint value and its value bytes (a varint's bytes, a length-delimited body, or fixed bytes).</summary>
    internal sealed record Field(ulong Tag, byte[] Value)
    {
        public int WireType => (int)(Tag & 7);
    }

    public static List<Field>? TryParse(ReadOnlySpan<byte> data)
    {
        var fields = new List<Field>();
        int position = 0;
        while (position < data.Length)
        {
            if (!TryReadVarint(data, ref position, out ulong tag)) return null;
            int start = position;
            switch (tag & 7)
            {
                case 0:
                    if (!TryReadVarint(data, ref position, out _)) return null;
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    if (!TryReadVarint(data, ref position, out ulong length) || length > (ulong)(data.Length - position)) return null;
                    start = position;
                    position += (int)length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    return null;
            }
            if (position > data.Length) return null;
            fields.Add(new Field(tag, data[start..position].ToArray()));
        }
        return fields;
    }

    public static byte[] Encode(IEnumerable<Field> fields)
    {
        using var output = new MemoryStream();
        foreach (Field field in fields)
        {
            WriteVarint(output, field.Tag);
            if (field.WireType == 2) WriteVarint(output, (ulong)field.Value.Length);
            output.Write(field.Value);
        }
        return output.ToArray();
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) return false;
            byte b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
