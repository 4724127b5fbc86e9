using System.Buffers;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Fuzz.Tests.Targets;

/// <summary>The saved corpora start the fuzzer from every MGR message: a message added to <see cref="MessageCode"/>
/// without a corpus entry (a golden vector) fails here until it is fuzzed too.</summary>
public sealed class CorpusCoverageTests
{
    private static string Corpus => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<MessageCode> Codes() => [.. Enum.GetValues<MessageCode>()];

    [Theory]
    [MemberData(nameof(Codes))]
    public void The_message_corpus_holds_a_valid_entry_for_every_message_code(MessageCode code)
    {
        IEnumerable<byte[]> entries = CorpusFiles.Load(Corpus, "mgr-message");

        Assert.Contains(entries, entry => entry.Length > 1 && entry[0] == (byte)code && MessageDecoder.Decode(entry[0], entry.AsSpan(1)).Code == code);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void The_frame_corpus_holds_a_valid_frame_for_every_message_code(MessageCode code)
    {
        IEnumerable<byte[]> entries = CorpusFiles.Load(Corpus, "mgr-frame");

        Assert.Contains(entries, entry => FrameCode(entry) == code);
    }

    private static MessageCode? FrameCode(byte[] entry)
    {
        var buffer = new ReadOnlySequence<byte>(entry);
        if (!FrameCodec.TryRead(ref buffer, out Frame frame) || !buffer.IsEmpty) return null;
        return MessageDecoder.Decode(frame.Code, frame.Payload.Span).Code;
    }
}
