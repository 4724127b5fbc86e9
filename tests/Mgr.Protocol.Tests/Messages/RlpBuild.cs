using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>Builds RLP by hand for malformed-input tests, plus the assertion that decoding fails for a given reason.</summary>
internal static class RlpBuild
{
    public static byte[] Str(ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[Rlp.LengthOf(payload)];
        new RlpWriter(bytes).WriteBytes(payload);
        return bytes;
    }

    public static byte[] U(ulong value)
    {
        var bytes = new byte[Rlp.LengthOf(value)];
        new RlpWriter(bytes).Write(value);
        return bytes;
    }

    public static byte[] H(Hash256 hash) => Str(hash.ToArray());

    public static byte[] List(params byte[][] items)
    {
        int content = items.Sum(item => item.Length);
        var bytes = new byte[Rlp.LengthOfList(content)];
        var writer = new RlpWriter(bytes);
        writer.WriteListHeader(content);
        foreach (byte[] item in items) writer.WriteEncoded(item);
        return bytes;
    }

    /// <summary>The same list with its length written in a long form with a leading zero byte (non-canonical).</summary>
    public static byte[] WithPaddedListHeader(byte[] encodedList)
    {
        int headerLength = encodedList.Length - GetPayloadLength(encodedList);
        int payloadLength = encodedList.Length - headerLength;
        int lengthBytes = Rlp.ByteLength((ulong)payloadLength);
        var padded = new List<byte> { (byte)(0xf7 + lengthBytes + 1), 0 };
        for (int i = lengthBytes - 1; i >= 0; i--) padded.Add((byte)(payloadLength >> (8 * i)));
        padded.AddRange(encodedList[headerLength..]);
        return [.. padded];
    }

    public static ProtocolViolationException Rejects(ViolationReason expected, Action decode)
    {
        ProtocolViolationException error = Assert.Throws<ProtocolViolationException>(decode);
        Assert.Equal(expected, error.Reason);
        return error;
    }

    private static int GetPayloadLength(byte[] encodedList)
    {
        var outer = new RlpReader(encodedList);
        RlpReader inner = outer.ReadList();
        int length = 0;
        while (!inner.IsEnd) length += inner.ReadEncodedItem().Length;
        return length;
    }
}
