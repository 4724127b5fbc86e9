using System.Text.Json;

namespace Mgr.Node.Demo;

/// <summary>The producer's latest block and finalized number, read from the JSON lines <c>mgr devnet produce</c> prints
/// (one per block). Lines that are not such a document are ignored (they are still in the producer's log).</summary>
/// <remarks>Thread-safe: written by the producer's stdout reader, read by the demo loop and the progress display.</remarks>
public sealed class ProducerProgress
{
    private long _head = -1;
    private long _finalized = -1;

    /// <summary>Number of the last block produced, null before the first.</summary>
    public ulong? Head => Interlocked.Read(ref _head) is var head and >= 0 ? (ulong)head : null;

    /// <summary>The finalized number announced with it, null before the first block.</summary>
    public ulong? Finalized => Interlocked.Read(ref _finalized) is var finalized and >= 0 ? (ulong)finalized : null;

    public void OnStdoutLine(string line)
    {
        if (string.IsNullOrEmpty(line) || line[0] != '{' || line.Length > 1 << 16) return;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("number", out JsonElement number) && number.TryGetInt64(out long head) && head >= 0)
                Interlocked.Exchange(ref _head, head);
            if (root.TryGetProperty("finalized", out JsonElement finalized) && finalized.TryGetInt64(out long value) && value >= 0)
                Interlocked.Exchange(ref _finalized, value);
        }
        catch (JsonException)
        {
            // Not a block line: ignored (the line is in the producer's log).
        }
    }
}
