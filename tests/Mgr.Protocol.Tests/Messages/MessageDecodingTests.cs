using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>Rejections every decoder shares: truncated, trailing, non-canonical and wrong-typed payloads.</summary>
public sealed class MessageDecodingTests
{
    public static TheoryData<string> Names() => MessageVectorTests.Names();

    [Theory, MemberData(nameof(Names))]
    public void Rejects_every_truncation_as_truncated(string name)
    {
        IMessage message = MessageVectorTests.Sample(name);
        byte[] payload = MessageVectorTests.Payload(message);

        for (int length = 0; length < payload.Length; length++)
        {
            byte[] prefix = payload[..length];
            RlpBuild.Rejects(ViolationReason.Truncated, () => MessageDecoder.Decode((byte)message.Code, prefix));
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Rejects_trailing_bytes(string name)
    {
        IMessage message = MessageVectorTests.Sample(name);
        byte[] payload = [.. MessageVectorTests.Payload(message), 0x80];

        RlpBuild.Rejects(ViolationReason.TrailingBytes, () => MessageDecoder.Decode((byte)message.Code, payload));
    }

    [Theory, MemberData(nameof(Names))]
    public void Rejects_a_non_canonical_list_header(string name)
    {
        IMessage message = MessageVectorTests.Sample(name);
        byte[] payload = RlpBuild.WithPaddedListHeader(MessageVectorTests.Payload(message));

        RlpBuild.Rejects(ViolationReason.NonCanonical, () => MessageDecoder.Decode((byte)message.Code, payload));
    }

    [Theory, MemberData(nameof(Names))]
    public void Rejects_a_string_where_the_message_list_belongs(string name)
    {
        IMessage message = MessageVectorTests.Sample(name);
        byte[] payload = RlpBuild.Str(MessageVectorTests.Payload(message));

        RlpBuild.Rejects(ViolationReason.WrongType, () => MessageDecoder.Decode((byte)message.Code, payload));
    }

    [Theory, MemberData(nameof(Names))]
    public void Rejects_a_message_with_a_field_missing(string name)
    {
        IMessage message = MessageVectorTests.Sample(name);
        var reader = new Mgr.Trie.Rlp.RlpReader(MessageVectorTests.Payload(message));
        Mgr.Trie.Rlp.RlpReader fields = reader.ReadList();
        var items = new List<byte[]>();
        while (!fields.IsEnd) items.Add(fields.ReadEncodedItem().ToArray());
        byte[] shorter = RlpBuild.List([.. items.Take(items.Count - 1)]);

        RlpBuild.Rejects(ViolationReason.Truncated, () => MessageDecoder.Decode((byte)message.Code, shorter));
    }

    [Theory]
    [InlineData(0x0e)]
    [InlineData(0x12)]
    [InlineData(0x1f)]
    [InlineData(0xff)]
    public void Rejects_codes_the_version_does_not_define(int code)
    {
        RlpBuild.Rejects(ViolationReason.UnknownMessageCode, () => MessageDecoder.Decode((byte)code, [0xc0]));
    }
}
