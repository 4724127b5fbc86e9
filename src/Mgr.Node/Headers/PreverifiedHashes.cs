using System.Globalization;
using System.Text;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Headers;

/// <summary>Trusted header hashes every <see cref="Interval"/> blocks (0, 192, 384, …) for one network: the
/// header downloader's preverified phase. Slices between two of them verify on their own, so backfill below the
/// checkpoint downloads in parallel with no skeleton.</summary>
/// <remarks>
/// File format (one network per file, shipped as data, e.g. <c>preverified/&lt;network&gt;.txt</c>): one entry per
/// line, <c>&lt;number&gt; &lt;0x-hash&gt;</c>, numbers multiples of 192 in increasing order; blank lines and lines
/// starting with <c>#</c> are ignored. Regenerate it from a synced store with <see cref="Generate"/> +
/// <see cref="Write"/> (the store's canonical hashes). Immutable and thread-safe once built.
/// </remarks>
public sealed class PreverifiedHashes
{
    /// <summary>Blocks between entries: one slice.</summary>
    public const int Interval = ReverseHeaderFeed.SliceSize;

    /// <summary>Largest file read (about 100,000 entries: 19 million blocks).</summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    private readonly SortedDictionary<ulong, Hash256> _entries;

    private PreverifiedHashes(SortedDictionary<ulong, Hash256> entries) => _entries = entries;

    /// <summary>An empty list (no preverified phase).</summary>
    public static PreverifiedHashes Empty { get; } = new([]);

    /// <summary>Entries by block number.</summary>
    public IReadOnlyDictionary<ulong, Hash256> Entries => _entries;

    /// <summary>Parses the file format.</summary>
    /// <exception cref="HeaderSyncException">Naming the line that is malformed, out of order or not a multiple of 192.</exception>
    public static PreverifiedHashes Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new SortedDictionary<ulong, Hash256>();
        ulong? previous = null;
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong number)
                || parts[1].Length != 66 || !Hash256.TryParse(parts[1], out Hash256 hash))
                throw new HeaderSyncException($"preverified hashes, line {lineNumber}: expected '<number> <0x-hash>'");
            if (number % Interval != 0) throw new HeaderSyncException($"preverified hashes, line {lineNumber}: {number} is not a multiple of {Interval}");
            if (previous is ulong p && number <= p) throw new HeaderSyncException($"preverified hashes, line {lineNumber}: {number} is not above {p}");
            entries.Add(number, hash);
            previous = number;
        }
        return new PreverifiedHashes(entries);
    }

    /// <summary>Reads a file in the format above.</summary>
    /// <exception cref="HeaderSyncException">When missing, too large or malformed.</exception>
    public static PreverifiedHashes Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new HeaderSyncException($"preverified hashes file '{path}' does not exist");
            if (info.Length > MaxFileBytes) throw new HeaderSyncException($"preverified hashes file '{path}' is larger than {MaxFileBytes} bytes");
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HeaderSyncException($"cannot read preverified hashes file '{path}': {e.Message}", e);
        }
    }

    /// <summary>The canonical hashes at 0, 192, … up to <paramref name="upTo"/> in a synced store (stops at the first gap).</summary>
    public static PreverifiedHashes Generate(IKeyValueReader store, ulong upTo)
    {
        var entries = new SortedDictionary<ulong, Hash256>();
        for (ulong number = 0; number <= upTo; number += Interval)
        {
            if (!HeaderStore.TryReadCanonical(store, number, out Hash256 hash)) break;
            entries.Add(number, hash);
        }
        return new PreverifiedHashes(entries);
    }

    /// <summary>Writes the file format, with a comment line first.</summary>
    public void Write(TextWriter output, string comment)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder();
        text.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        foreach ((ulong number, Hash256 hash) in _entries) text.Append(CultureInfo.InvariantCulture, $"{number} {hash}\n");
        output.Write(text.ToString());
    }
}
