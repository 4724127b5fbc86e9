using System.Buffers;
using System.Text.Json.Nodes;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class MessageVectorTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _) in MessageSamples.All()) data.Add(name);
        return data;
    }

    [Theory, MemberData(nameof(Names))]
    public void Encoding_the_sample_gives_the_golden_payload_frame_and_fields(string name)
    {
        IMessage message = Sample(name);

        JsonNode vector = Vector(message, name);

        Assert.Equal((int)message.Code, (int)vector["code"]!);
        Assert.Equal((string)vector["payload"]!, MessageJson.Hex(Payload(message)));
        Assert.Equal((string)vector["frame"]!, MessageJson.Hex(FrameCodec.Encode(message)));
        Assert.True(JsonNode.DeepEquals(vector["fields"], MessageJson.Describe(message)), $"fields of {name} differ from the vector");
    }

    [Theory, MemberData(nameof(Names))]
    public void Decoding_the_golden_frame_gives_the_golden_fields_and_payload(string name)
    {
        IMessage sample = Sample(name);
        JsonNode vector = Vector(sample, name);
        var frameBytes = new ReadOnlySequence<byte>(Convert.FromHexString(((string)vector["frame"]!)[2..]));

        Assert.True(FrameCodec.TryRead(ref frameBytes, out Frame frame));
        IMessage decoded = MessageDecoder.Decode(frame.Code, frame.Payload.Span);

        Assert.True(frameBytes.IsEmpty);
        Assert.Equal(sample.GetType(), decoded.GetType());
        Assert.True(JsonNode.DeepEquals(vector["fields"], MessageJson.Describe(decoded)), $"decoded fields of {name} differ from the vector");
        Assert.Equal((string)vector["payload"]!, MessageJson.Hex(Payload(decoded)));
    }

    [Theory, MemberData(nameof(Names))]
    public void Measured_length_equals_written_length(string name)
    {
        IMessage message = Sample(name);
        var buffer = new byte[message.EncodedLength() + 16];

        message.WriteTo(buffer);

        var reader = new Mgr.Trie.Rlp.RlpReader(buffer);
        Assert.Equal(message.EncodedLength(), reader.ReadEncodedItem().Length);
        Assert.All(buffer[message.EncodedLength()..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Every_message_code_has_a_golden_vector()
    {
        var covered = MessageSamples.All().Select(sample => sample.Message.Code).ToHashSet();

        Assert.Equal(Enum.GetValues<MessageCode>().ToHashSet(), covered);
    }

    internal static IMessage Sample(string name) => MessageSamples.All().Single(sample => sample.Name == name).Message;

    internal static byte[] Payload(IMessage message)
    {
        var payload = new byte[message.EncodedLength()];
        message.WriteTo(payload);
        return payload;
    }

    // The vector file for the message's type holds one case per sample of that type.
    private static JsonNode Vector(IMessage message, string name)
    {
        string file = $"messages/{FileName(message)}.json";
        JsonNode cases = VectorFiles.Load(file, () => new JsonArray([.. MessageSamples.All()
            .Where(sample => sample.Message.GetType() == message.GetType())
            .Select(sample => (JsonNode)new JsonObject
            {
                ["name"] = sample.Name,
                ["code"] = (int)sample.Message.Code,
                ["fields"] = MessageJson.Describe(sample.Message),
                ["payload"] = MessageJson.Hex(Payload(sample.Message)),
                ["frame"] = MessageJson.Hex(FrameCodec.Encode(sample.Message)),
            })]));
        return cases.AsArray().Single(item => (string)item!["name"]! == name)!;
    }

    private static string FileName(IMessage message) =>
        string.Concat(message.GetType().Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
