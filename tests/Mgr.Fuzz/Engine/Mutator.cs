using System.Text;
using System.Text.RegularExpressions;

namespace Mgr.Fuzz.Engine;

/// <summary>Turns a corpus entry into a mutant: one to four stacked mutations drawn from byte-level ones (bit flips,
/// inserts, deletes, duplication, splices with another entry, dictionary tokens, length-field tampering) and, for
/// structured formats, RLP-, protobuf- or JSON-aware ones. Deterministic for a given <see cref="Random"/> state.</summary>
internal sealed partial class Mutator(Random random, IReadOnlyList<byte[]> tokens, InputFormat format, int structureOffset, int maxBytes)
{
    /// <summary>A mutant of <paramref name="input"/>; <paramref name="other"/> supplies splice material.</summary>
    public byte[] Mutate(byte[] input, Func<byte[]> other)
    {
        byte[] current = input;
        int rounds = 1 + random.Next(4);
        for (int i = 0; i < rounds; i++)
        {
            bool structured = format != InputFormat.Raw && random.Next(2) == 0;
            byte[]? next = structured ? MutateStructure(current, other) : null;
            current = next ?? MutateBytes(current, other);
        }
        return current.Length <= maxBytes ? current : current[..maxBytes];
    }

    private byte[]? MutateStructure(byte[] input, Func<byte[]> other) => format switch
    {
        InputFormat.Rlp => MutateRlp(input, other),
        InputFormat.Protobuf => MutateProtobuf(input, other),
        InputFormat.Json or InputFormat.Text => MutateText(input),
        _ => null,
    };

    private byte[] MutateBytes(byte[] input, Func<byte[]> other)
    {
        var bytes = new List<byte>(input);
        switch (random.Next(11))
        {
            case 0 when bytes.Count > 0:
                int bit = random.Next(bytes.Count * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes.InsertRange(random.Next(bytes.Count + 1), RandomBytes(1 + random.Next(random.Next(2) == 0 ? 4 : 64)));
                break;
            case 3 when bytes.Count > 0:
                int start = random.Next(bytes.Count);
                bytes.RemoveRange(start, 1 + random.Next(Math.Min(bytes.Count - start, 1 + random.Next(32))));
                break;
            case 4 when bytes.Count > 0:
                int from = random.Next(bytes.Count), count = 1 + random.Next(Math.Min(bytes.Count - from, 64));
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(from, count));
                break;
            case 5:
                byte[] donor = other();
                if (donor.Length == 0) break;
                int cut = random.Next(bytes.Count + 1), donorCut = random.Next(donor.Length);
                bytes.RemoveRange(cut, bytes.Count - cut);
                bytes.AddRange(donor.AsSpan(donorCut).ToArray());
                break;
            case 6:
                byte[] token = Token();
                int at = random.Next(bytes.Count + 1);
                if (random.Next(2) == 0) bytes.RemoveRange(at, Math.Min(token.Length, bytes.Count - at));
                bytes.InsertRange(at, token);
                break;
            case 7 when bytes.Count > 0:
                TamperLength(bytes);
                break;
            case 8 when bytes.Count > 1:
                int truncateTo = random.Next(bytes.Count);
                bytes.RemoveRange(truncateTo, bytes.Count - truncateTo);
                break;
            case 9 when bytes.Count > 0:
                int position = random.Next(bytes.Count);
                bytes[position] = (byte)(bytes[position] + random.Next(-3, 4));
                break;
            default:
                bytes.AddRange(RandomBytes(1 + random.Next(8)));
                break;
        }
        return [.. bytes];
    }

    // Points a length-looking byte (an RLP long header, a varint, a big-endian length) at a boundary value.
    private void TamperLength(List<byte> bytes)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            int position = random.Next(bytes.Count);
            byte b = bytes[position];
            if (b is >= 0xb8 and <= 0xbf or >= 0xf8)
            {
                int lengthBytes = (b >= 0xf8 ? b - 0xf7 : b - 0xb7);
                for (int i = 1; i <= lengthBytes && position + i < bytes.Count; i++) bytes[position + i] = random.Next(3) == 0 ? (byte)0 : (byte)0xff;
                return;
            }
            if (b is >= 0x80 and <= 0xb7 or >= 0xc0 and <= 0xf7)
            {
                bytes[position] = (byte)(b + random.Next(-2, 3));
                return;
            }
        }
        int at = random.Next(bytes.Count);
        byte[] huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
        bytes.InsertRange(at, huge.AsSpan(0, 1 + random.Next(huge.Length)).ToArray());
    }

    private byte[]? MutateRlp(byte[] input, Func<byte[]> other)
    {
        if (input.Length < structureOffset) return null;
        RlpTree? tree = RlpTree.TryParse(input.AsSpan(structureOffset));
        if (tree is null) return null;
        var nodes = tree.Walk().ToList();
        (RlpTree node, RlpTree? parent) = nodes[random.Next(nodes.Count)];
        switch (random.Next(10))
        {
            case 0:
                node.IsList = false;
                node.Items.Clear();
                node.Payload = Token();
                break;
            case 1 when parent is not null:
                parent.Items.Remove(node);
                break;
            case 2 when parent is not null:
                int copies = random.Next(4) == 0 ? 1 + random.Next(300) : 1;
                for (int i = 0; i < copies; i++) parent.Items.Insert(parent.Items.IndexOf(node), node.Clone());
                break;
            case 3:
                RlpTree? donor = RlpTree.TryParse(Skip(other()));
                if (donor is null) break;
                var donorNodes = donor.Walk().ToList();
                RlpTree graft = donorNodes[random.Next(donorNodes.Count)].Node;
                node.IsList = graft.IsList;
                node.Payload = graft.Payload;
                node.Items.Clear();
                node.Items.AddRange(graft.Items.Select(item => item.Clone()));
                break;
            case 4:
                if (node.IsList)
                {
                    node.Payload = [.. node.Items.SelectMany(item => item.Encode())];
                    node.IsList = false;
                    node.Items.Clear();
                }
                else
                {
                    node.IsList = true;
                    RlpTree? inner = RlpTree.TryParse(node.Payload);
                    if (inner is not null) node.Items.Add(inner);
                }
                break;
            case 5:
                RlpTree wrapped = node.Clone();
                int depth = random.Next(3) == 0 ? 60 + random.Next(10) : 1;
                for (int i = 0; i < depth; i++) wrapped = RlpTree.List(wrapped);
                Replace(node, wrapped);
                break;
            case 6:
                node.LongHeader = !node.LongHeader;
                break;
            case 7 when !node.IsList:
                node.Payload = random.Next(3) switch
                {
                    0 => [0x00, .. node.Payload],
                    1 => RandomBytes(random.Next(2) == 0 ? 32 : random.Next(70)),
                    _ => node.Payload.Length > 0 ? node.Payload[..random.Next(node.Payload.Length)] : [0x00],
                };
                break;
            case 8 when node.IsList && node.Items.Count > 1:
                int a = random.Next(node.Items.Count), b = random.Next(node.Items.Count);
                (node.Items[a], node.Items[b]) = (node.Items[b], node.Items[a]);
                break;
            default:
                if (node.IsList) node.Items.Insert(random.Next(node.Items.Count + 1), RlpTree.String(Token()));
                else node.Payload = [.. node.Payload, .. RandomBytes(1 + random.Next(8))];
                break;
        }
        return [.. input.AsSpan(0, structureOffset), .. tree.Encode()];
    }

    private static void Replace(RlpTree target, RlpTree with)
    {
        target.IsList = with.IsList;
        target.Payload = with.Payload;
        target.LongHeader = with.LongHeader;
        target.Items.Clear();
        target.Items.AddRange(with.Items);
    }

    private ReadOnlySpan<byte> Skip(byte[] bytes) => bytes.Length >= structureOffset ? bytes.AsSpan(structureOffset) : [];

    private byte[]? MutateProtobuf(byte[] input, Func<byte[]> other)
    {
        if (input.Length < structureOffset) return null;
        List<ProtobufFields.Field>? fields = ProtobufFields.TryParse(input.AsSpan(structureOffset));
        if (fields is null || fields.Count == 0) return null;
        int index = random.Next(fields.Count);
        ProtobufFields.Field field = fields[index];
        switch (random.Next(7))
        {
            case 0:
                fields.RemoveAt(index);
                break;
            case 1:
                int copies = random.Next(4) == 0 ? 1 + random.Next(200) : 1;
                for (int i = 0; i < copies; i++) fields.Insert(index, field);
                break;
            case 2:
                fields[index] = field with { Tag = (field.Tag & ~7UL) | (uint)random.Next(8) };
                break;
            case 3:
                fields[index] = field with { Tag = random.Next(2) == 0 ? (ulong)random.Next(1, 20) << 3 | (field.Tag & 7) : ((ulong)uint.MaxValue << 3) | (field.Tag & 7) };
                break;
            case 4 when field.WireType == 2:
                List<ProtobufFields.Field>? nested = ProtobufFields.TryParse(field.Value);
                byte[] value = nested is { Count: > 0 } && random.Next(2) == 0
                    ? ProtobufFields.Encode(nested.Where((_, i) => i != random.Next(nested.Count)))
                    : RandomBytes(random.Next(3) == 0 ? 2000 : random.Next(80));
                fields[index] = field with { Value = value };
                break;
            case 5:
                List<ProtobufFields.Field>? donor = other().Length >= structureOffset ? ProtobufFields.TryParse(other().AsSpan(structureOffset)) : null;
                if (donor is { Count: > 0 }) fields.Insert(index, donor[random.Next(donor.Count)]);
                break;
            default:
                fields[index] = field with { Value = field.WireType == 0 ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] : Token() };
                break;
        }
        byte[] body = ProtobufFields.Encode(fields);
        if (structureOffset == 0) return body;
        using var output = new MemoryStream();
        ProtobufFields.WriteVarint(output, (ulong)body.Length);
        output.Write(body);
        return output.ToArray();
    }

    private byte[]? MutateText(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        MatchCollection matches = (format == InputFormat.Json ? JsonScalar() : TextSegment()).Matches(text);
        if (matches.Count == 0) return null;
        Match match = matches[random.Next(matches.Count)];
        string replacement = random.Next(4) switch
        {
            0 => string.Empty,
            1 => match.Value + match.Value,
            _ => Encoding.UTF8.GetString(Token()),
        };
        return Encoding.UTF8.GetBytes(text[..match.Index] + replacement + text[(match.Index + match.Length)..]);
    }

    private byte[] Token()
    {
        IReadOnlyList<byte[]> shared = format switch
        {
            InputFormat.Json => FuzzDictionary.Json,
            InputFormat.Text => FuzzDictionary.Text,
            _ => FuzzDictionary.Binary,
        };
        return tokens.Count > 0 && random.Next(3) == 0 ? tokens[random.Next(tokens.Count)] : shared[random.Next(shared.Count)];
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null|[\\[\\]{}]")]
    private static partial Regex JsonScalar();

    [GeneratedRegex("[^/]+|/")]
    private static partial Regex TextSegment();
}
