using Mgr.Node.Devnet;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Devnet;

public sealed class ChainLogTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly InMemoryKeyValueStore _store = new();
    private readonly List<DevnetBlock> _blocks;

    public ChainLogTests()
    {
        _blocks = DevnetFixtures.SmallChain(_store, _temp).Produce(6).ToList();
    }

    private string LogPath => Path.Combine(_temp.Path, "chain.log");

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    private void WriteAll()
    {
        using ChainLog log = ChainLog.Open(LogPath);
        foreach (DevnetBlock block in _blocks) log.Append(block);
    }

    [Fact]
    public void Reopening_yields_every_appended_block_in_order()
    {
        WriteAll();
        var seen = new List<DevnetBlock>();

        using ChainLog log = ChainLog.Open(LogPath, seen.Add);

        Assert.Equal(6, log.BlockCount);
        Assert.Equal(0, log.TruncatedBytes);
        Assert.Equal(_blocks[^1].Header.Hash, log.Head!.Hash);
        Assert.Equal(_blocks.Select(b => b.Header.Hash), seen.Select(b => b.Header.Hash));
        Assert.Equal(_blocks.Select(b => b.Diff.Encode()), seen.Select(b => b.Diff.Encode()));
    }

    [Fact]
    public void A_torn_tail_record_is_truncated_on_open_and_can_be_appended_again()
    {
        WriteAll();
        long full = new FileInfo(LogPath).Length;
        int lastRecord = ChainLog.Encode(_blocks[^1]).Length;
        using (var file = new FileStream(LogPath, FileMode.Open)) file.SetLength(full - lastRecord / 2);

        using (ChainLog log = ChainLog.Open(LogPath))
        {
            Assert.Equal(5, log.BlockCount);
            Assert.Equal(lastRecord - lastRecord / 2, log.TruncatedBytes);
            Assert.Equal(full - lastRecord, new FileInfo(LogPath).Length);
            log.Append(_blocks[^1]);
        }

        using ChainLog reopened = ChainLog.Open(LogPath);
        Assert.Equal(6, reopened.BlockCount);
        Assert.Equal(full, new FileInfo(LogPath).Length);
    }

    [Fact]
    public void A_last_record_with_a_bad_checksum_is_truncated()
    {
        WriteAll();
        long full = new FileInfo(LogPath).Length;
        FlipByte(full - 3);

        using ChainLog log = ChainLog.Open(LogPath);

        Assert.Equal(5, log.BlockCount);
        Assert.Equal(ChainLog.Encode(_blocks[^1]).Length, log.TruncatedBytes);
    }

    [Fact]
    public void Corruption_before_the_tail_is_refused_and_the_file_left_alone()
    {
        WriteAll();
        long length = new FileInfo(LogPath).Length;
        FlipByte(ChainLog.Magic.Length + ChainLog.RecordHeaderBytes + 40);

        var e = Assert.Throws<DevnetException>(() => ChainLog.Open(LogPath));

        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(LogPath).Length);
    }

    [Fact]
    public void A_file_that_is_not_a_chain_log_is_refused()
    {
        File.WriteAllText(LogPath, "hello, this is not a log");

        Assert.Throws<DevnetException>(() => ChainLog.Open(LogPath));
    }

    [Fact]
    public void Append_refuses_a_block_that_does_not_extend_the_head()
    {
        using ChainLog log = ChainLog.Open(LogPath);
        log.Append(_blocks[0]);

        Assert.Throws<ArgumentException>(() => log.Append(_blocks[2]));
        Assert.Throws<ArgumentException>(() => log.Append(_blocks[0]));
        Assert.Equal(1, log.BlockCount);
    }

    [Fact]
    public void A_reader_waits_on_an_incomplete_record_and_reads_it_once_complete()
    {
        using (ChainLog log = ChainLog.Open(LogPath)) log.Append(_blocks[0]);
        byte[] second = ChainLog.Encode(_blocks[1]);
        using var reader = ChainLogReader.OpenFile(LogPath);
        Assert.Equal(ChainLogReadResult.Block, reader.TryRead(out _));
        Assert.Equal(ChainLogReadResult.End, reader.TryRead(out _));

        using (var file = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) file.Write(second.AsSpan(0, 10));
        Assert.Equal(ChainLogReadResult.Incomplete, reader.TryRead(out _));
        using (var file = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) file.Write(second.AsSpan(10));

        Assert.Equal(ChainLogReadResult.Block, reader.TryRead(out DevnetBlock? block));
        Assert.Equal(_blocks[1].Header.Hash, block!.Header.Hash);
    }

    [Fact]
    public void A_crash_while_writing_the_magic_leaves_a_usable_log()
    {
        File.WriteAllBytes(LogPath, "MGR"u8.ToArray());

        using (ChainLog log = ChainLog.Open(LogPath)) log.Append(_blocks[0]);

        using ChainLog reopened = ChainLog.Open(LogPath);
        Assert.Equal(1, reopened.BlockCount);
    }

    [Fact]
    public void A_short_file_that_is_not_a_chain_log_is_left_alone()
    {
        File.WriteAllBytes(LogPath, "abc"u8.ToArray());

        Assert.Throws<DevnetException>(() => ChainLog.Open(LogPath));
        Assert.Equal("abc"u8.ToArray(), File.ReadAllBytes(LogPath));
    }

    private void FlipByte(long offset)
    {
        using var file = new FileStream(LogPath, FileMode.Open);
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x5a));
    }
}
