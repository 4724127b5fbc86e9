using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using RlpSize = Mgr.Trie.Rlp.Rlp;

namespace Mgr.Trie.Tests.Rlp;

/// <summary>A decoded RLP value for tests: a byte string, a number (written through the integer
/// paths of <see cref="RlpWriter"/>), or a list. <see cref="ToString"/> is a canonical rendering, so two
/// trees are equal when their renderings are.</summary>
public abstract record RlpTree
{
    public sealed record Bytes(byte[] Value) : RlpTree
    {
        public override string ToString() => "0x" + Convert.ToHexStringLower(Value);
    }

    public sealed record Number(BigInteger Value) : RlpTree
    {
        public override string ToString() => "0x" + Convert.ToHexStringLower(MinimalBigEndian(Value));
    }

    public sealed record List(IReadOnlyList<RlpTree> Items) : RlpTree
    {
        public override string ToString() => "[" + string.Join(", ", Items) + "]";
    }

    /// <summary>Converts an ethereum-tests <c>in</c> value: strings are UTF-8 bytes, <c>"#123"</c> and numbers are integers.</summary>
    public static RlpTree FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String when element.GetString()! is ['#', .. var digits] => new Number(BigInteger.Parse(digits, CultureInfo.InvariantCulture)),
        JsonValueKind.String => new Bytes(Encoding.UTF8.GetBytes(element.GetString()!)),
        JsonValueKind.Number => new Number(new BigInteger(element.GetUInt64())),
        JsonValueKind.Array => new List(element.EnumerateArray().Select(FromJson).ToArray()),
        _ => throw new ArgumentException($"Unexpected JSON {element.ValueKind} in an RLP vector."),
    };

    /// <summary>Decodes one whole item (and checks nothing trails it).</summary>
    public static RlpTree Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpTree tree = Read(ref reader);
        reader.EnsureEnd();
        return tree;
    }

    /// <summary>Reads the next item, walking into every nested list.</summary>
    public static RlpTree Read(ref RlpReader reader)
    {
        if (!reader.PeekIsList) return new Bytes(reader.ReadBytes().ToArray());
        RlpReader inner = reader.ReadList();
        var items = new List<RlpTree>();
        while (!inner.IsEnd) items.Add(Read(ref inner));
        return new List(items);
    }

    /// <summary>Measures, then encodes through <see cref="RlpWriter"/>, checking the measured length is the written length.</summary>
    public byte[] Encode()
    {
        byte[] output = new byte[EncodedLength()];
        var writer = new RlpWriter(output);
        WriteTo(ref writer);
        Assert.Equal(output.Length, writer.Written);
        return output;
    }

    public int EncodedLength() => this switch
    {
        Bytes b => RlpSize.LengthOf(b.Value),
        Number { Value: var v } when v <= ulong.MaxValue => RlpSize.LengthOf((ulong)v),
        Number { Value: var v } when v < BigInteger.One << 256 => RlpSize.LengthOf(ToUInt256(v)),
        Number i => RlpSize.LengthOf(MinimalBigEndian(i.Value)),
        List l => RlpSize.LengthOfList(l.Items.Sum(item => item.EncodedLength())),
        _ => throw new InvalidOperationException(),
    };

    public void WriteTo(ref RlpWriter writer)
    {
        switch (this)
        {
            case Bytes b: writer.WriteBytes(b.Value); break;
            case Number { Value: var v } when v <= ulong.MaxValue: writer.Write((ulong)v); break;
            case Number { Value: var v } when v < BigInteger.One << 256: writer.Write(ToUInt256(v)); break;
            case Number i: writer.WriteBytes(MinimalBigEndian(i.Value)); break;
            case List l:
                writer.WriteListHeader(l.Items.Sum(item => item.EncodedLength()));
                foreach (RlpTree item in l.Items) item.WriteTo(ref writer);
                break;
        }
    }

    public static byte[] MinimalBigEndian(BigInteger value) =>
        value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);

    public static UInt256 ToUInt256(BigInteger value) => UInt256.FromBigEndian(MinimalBigEndian(value));
}
