using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The answer to <see cref="GetBlockHeaders"/>: each header's own RLP list, verbatim (its hash is the
/// keccak of those bytes), at most <see cref="Limits.MaxHeadersPerRequest"/>.</summary>
public sealed record BlockHeaders(ulong RequestId, IReadOnlyList<ReadOnlyMemory<byte>> Headers) : IResponse
{
    public MessageCode Code => MessageCode.BlockHeaders;

    private int HeadersContent()
    {
        int content = 0;
        foreach (ReadOnlyMemory<byte> header in Headers) content += header.Length;
        return content;
    }

    private int ContentLength() => Rlp.LengthOf(RequestId) + Rlp.LengthOfList(HeadersContent());

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.WriteListHeader(HeadersContent());
        foreach (ReadOnlyMemory<byte> header in Headers) writer.WriteEncoded(header.Span);
    }

    /// <summary>Decodes a BlockHeaders payload; every header must be an RLP list.</summary>
    public static BlockHeaders Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(BlockHeaders), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        RlpReader list = fields.ReadList();
        var headers = new List<ReadOnlyMemory<byte>>();
        while (!list.IsEnd)
        {
            if (headers.Count == Limits.MaxHeadersPerRequest) ProtocolViolationException.Throw(ViolationReason.TooManyItems, "too many headers");
            if (!list.PeekIsList) ProtocolViolationException.Throw(ViolationReason.WrongType, "a header must be an RLP list");
            headers.Add(RlpFields.Slice(owner, list.ReadEncodedItem()));
        }
        return new BlockHeaders(id, headers);
    });
}
