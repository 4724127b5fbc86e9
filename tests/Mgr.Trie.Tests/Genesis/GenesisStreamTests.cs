using System.Text;
using Mgr.Trie.Building;
using Mgr.Trie.Genesis;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Tests.Genesis;

/// <summary><see cref="GenesisBuilder.Build(Stream, IExternalSorter)"/>: the streamed genesis read.</summary>
public class GenesisStreamTests
{
    private const string Header = """{"config":{"chainId":1,"londonBlock":0},"gasLimit":"0x1388","difficulty":"0x0","alloc":""";

    public static TheoryData<string> Fixtures() => [.. GenesisFixtures.Names];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Streamed_fixture_gives_the_header_of_the_parsed_spec(string name)
    {
        byte[] json = GenesisFixtures.Read(name);

        GenesisBlock streamed = GenesisBuilder.Build(new DribblingStream(json, seed: name.Length), new MemorySorter());

        Assert.Equal(GenesisBuilder.Build(GenesisReader.Parse(json)).Hash, streamed.Header.Hash);
        Assert.Equal(GenesisReader.Parse(json).Config.ChainId, streamed.Config.ChainId);
    }

    [Fact]
    public void Reads_a_value_longer_than_the_read_buffer()
    {
        string code = "0x" + string.Concat(Enumerable.Repeat("60", 3 * JsonStreamCursor.InitialBufferBytes));
        byte[] json = Encoding.UTF8.GetBytes(Header + "{\"0x00000000000000000000000000000000000000aa\":{\"balance\":\"1\",\"code\":\"" + code + "\"}}}");

        GenesisBlock streamed = GenesisBuilder.Build(new MemoryStream(json), new MemorySorter());

        Assert.Equal(GenesisBuilder.Build(GenesisReader.Parse(json)).Hash, streamed.Header.Hash);
    }

    [Fact]
    public void Names_an_address_that_appears_twice_far_apart()
    {
        var alloc = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) alloc.Append($"\"0x{i:x40}\":{{\"balance\":\"1\"}},");
        alloc.Append("\"0x0000000000000000000000000000000000000007\":{\"balance\":\"2\"}}");
        byte[] json = Encoding.UTF8.GetBytes(Header + alloc + "}");

        var error = Assert.Throws<GenesisException>(() => GenesisBuilder.Build(new MemoryStream(json), new MemorySorter()));

        Assert.Equal("$.alloc[\"0x0000000000000000000000000000000000000007\"]", error.JsonPath);
        Assert.Equal("address appears twice", error.Reason);
    }

    [Fact]
    public void Rejects_a_file_cut_after_the_first_buffer_as_not_json()
    {
        byte[] json = ReadAll(SyntheticGenesis(10_000));

        var error = Assert.Throws<GenesisException>(() => GenesisBuilder.Build(new MemoryStream(json[..(json.Length - 3)]), new MemorySorter()));

        Assert.Equal("$", error.JsonPath);
        Assert.Contains("not valid JSON", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_malformed_account_deep_in_a_large_file()
    {
        string json = Encoding.UTF8.GetString(ReadAll(SyntheticGenesis(10_000))).Replace("\"0x" + 9000.ToString("x40") + "\":{\"balance\":\"0x1\"}",
            "\"0x" + 9000.ToString("x40") + "\":{\"balance\":[]}", StringComparison.Ordinal);

        var error = Assert.Throws<GenesisException>(() => GenesisBuilder.Build(new MemoryStream(Encoding.UTF8.GetBytes(json)), new MemorySorter()));

        Assert.Equal($"$.alloc[\"0x{9000:x40}\"].balance", error.JsonPath);
    }

    [Theory]
    [InlineData("{\"0x00000000000000000000000000000000000000aa\":{\"\\ud800\":1,\"balance\":\"1\"}}")]
    [InlineData("{\"0x00000000000000000000000000000000000000aa\":{\"balance\":\"\\ud800\"}}")]
    [InlineData("{\"\\ud800\":{\"balance\":\"1\"}}")]
    public void Bad_string_text_in_an_account_ends_in_a_genesis_exception_or_is_ignored(string alloc)
    {
        byte[] json = Encoding.UTF8.GetBytes(Header + alloc + "}");

        Exception? error = Record.Exception(() => GenesisBuilder.Build(new MemoryStream(json), new MemorySorter()));

        Assert.True(error is null or GenesisException, error?.ToString());
    }

    [Fact]
    public void Rejects_text_after_the_object()
    {
        byte[] json = Encoding.UTF8.GetBytes(Header + "{}} x");

        var error = Assert.Throws<GenesisException>(() => GenesisBuilder.Build(new MemoryStream(json), new MemorySorter()));

        Assert.Contains("not valid JSON", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_second_alloc()
    {
        byte[] json = Encoding.UTF8.GetBytes(Header + "{},\"alloc\":{}}");

        var error = Assert.Throws<GenesisException>(() => GenesisBuilder.Build(new MemoryStream(json), new MemorySorter()));

        Assert.Equal("$.alloc", error.JsonPath);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // A genesis of `accounts` plain accounts, generated as it is read: the test holds none of it.
    internal static Stream SyntheticGenesis(int accounts) => new PieceStream(Pieces(accounts));

    private static IEnumerable<byte[]> Pieces(int accounts)
    {
        yield return Encoding.UTF8.GetBytes(Header + "{");
        for (int i = 0; i < accounts; i++)
        {
            yield return Encoding.UTF8.GetBytes($"{(i == 0 ? "" : ",")}\"0x{i:x40}\":{{\"balance\":\"0x1\"}}");
        }
        yield return "}}"u8.ToArray();
    }

    /// <summary>Sorts in memory; for tests, where the sets are small.</summary>
    internal sealed class MemorySorter : IExternalSorter
    {
        private readonly List<(byte[] Key, byte[] Value)> _entries = [];

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _entries.Add((key.ToArray(), value.ToArray()));

        public void Drain(SortedEntryHandler handler)
        {
            _entries.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
            foreach ((byte[] key, byte[] value) in _entries) handler(key, value);
        }
    }

    // Hands out 1 to 13 bytes per read, so tokens are cut at every possible place.
    private sealed class DribblingStream(byte[] data, int seed) : MemoryStream(data, writable: false)
    {
        private readonly Random _random = new(seed);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _random.Next(1, 14)));
    }

    private sealed class PieceStream(IEnumerable<byte[]> pieces) : Stream
    {
        private readonly IEnumerator<byte[]> _pieces = pieces.GetEnumerator();
        private byte[] _current = [];
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_offset == _current.Length)
            {
                if (!_pieces.MoveNext()) return 0;
                _current = _pieces.Current;
                _offset = 0;
            }
            int take = Math.Min(count, _current.Length - _offset);
            _current.AsSpan(_offset, take).CopyTo(buffer.AsSpan(offset));
            _offset += take;
            return take;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _pieces.Dispose();
            base.Dispose(disposing);
        }
    }
}
