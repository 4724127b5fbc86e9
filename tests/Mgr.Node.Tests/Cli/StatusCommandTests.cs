using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Mgr.Node.Cli;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Cli;

public sealed class StatusCommandTests
{
    [Fact]
    public void Prints_each_stage_and_the_header_segments_as_json()
    {
        using var dir = new TempFile(Path.Combine(Path.GetTempPath(), "mgr-status-" + Guid.NewGuid().ToString("N")));
        var cursor = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(cursor, 4_000);
        using (RocksDbStore store = RocksDbStore.Open(InitCommand.StorePath(dir.Path)))
        using (IWriteBatch batch = store.BeginBatch())
        {
            StageCheckpoints.Save(batch, StageId.Headers, new StageCheckpoint(1_000, cursor));
            HeaderSegmentStore.Write(batch, new HeaderSegment(4_000, 9_000, Hash256.Zero, Hash256.MaxValue));
            batch.Commit();
        }

        CliRun run = InProcessMgr.Run("status", "--datadir", dir.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        JsonNode status = JsonNode.Parse(run.Stdout)!;
        JsonNode headers = status["stages"]![0]!;
        Assert.Equal("headers", (string?)headers["stage"]);
        Assert.Equal(1_000UL, (ulong)headers["blockNumber"]!);
        Assert.True((bool)headers["inProgress"]!);
        Assert.Equal(4_000UL, (ulong)headers["downloadedDownTo"]!);
        Assert.Null(status["stages"]![1]!["blockNumber"]);
        Assert.Equal(["headers", "state", "heal", "verify", "serve", "backfill"], status["stages"]!.AsArray().Select(s => (string)s!["stage"]!));
        Assert.Equal(9_000UL, (ulong)status["headerSegments"]![0]!["to"]!);
    }

    [Fact]
    public void Prints_one_line_per_stage_without_json()
    {
        using var dir = new TempFile(Path.Combine(Path.GetTempPath(), "mgr-status-" + Guid.NewGuid().ToString("N")));
        RocksDbStore.Open(InitCommand.StorePath(dir.Path)).Dispose();

        CliRun run = InProcessMgr.Run("status", "--datadir", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(6, run.Stdout.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("headers  not started", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_on_the_store_of_a_running_node_that_holds_it_open()
    {
        using var dir = new TempFile(Path.Combine(Path.GetTempPath(), "mgr-status-" + Guid.NewGuid().ToString("N")));
        using RocksDbStore running = RocksDbStore.Open(InitCommand.StorePath(dir.Path));
        using (IWriteBatch batch = running.BeginBatch())
        {
            StageCheckpoints.Save(batch, StageId.State, new StageCheckpoint(64, ReadOnlyMemory<byte>.Empty));
            batch.Commit();
        }

        CliRun run = InProcessMgr.Run("status", "--datadir", dir.Path, "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(64UL, (ulong)JsonNode.Parse(run.Stdout)!["stages"]![1]!["blockNumber"]!);
    }

    [Fact]
    public void Refuses_a_directory_without_a_store_with_exit_code_2()
    {
        CliRun run = InProcessMgr.Run("status", "--datadir", Path.Combine(Path.GetTempPath(), "mgr-none-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine);
        Assert.Contains("no node store", run.Stderr, StringComparison.Ordinal);
    }
}
