using System.Diagnostics;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Primitives;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.Storage;

/// <summary>
/// Kills a child process (tests/Mgr.Storage.CrashChild) with SIGKILL at random moments while it commits chunks of
/// <see cref="CrashWorkload"/>, then reopens the store and checks that no chunk is half-written, that progress
/// matches the flat state exactly, and that every commit the child reported survived.
/// </summary>
public sealed class ChunkStoreCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 12;
    private static readonly TimeSpan ChildStartTimeout = TimeSpan.FromSeconds(60);
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Progress_matches_content_exactly_after_every_sigkill()
    {
        string child = CrashChildLocator.Locate();
        string store = _directory.Combine("store");
        var random = new Random();
        int kills = 0, commitsSeen = 0;

        for (int cycle = 0; cycle < Kills; cycle++)
        {
            (string? lastCommit, int commits) = RunAndKill(child, store, TimeSpan.FromMilliseconds(random.Next(0, 300)));
            kills++;
            commitsSeen += commits;
            Verify(store, lastCommit);
        }

        output.WriteLine($"{kills} kills, {commitsSeen} commits reported by the child");
        Assert.True(kills >= 10);
        Assert.True(commitsSeen > Kills, "the child should have committed chunks between kills");
    }

    private static (string? LastCommit, int Commits) RunAndKill(string child, string store, TimeSpan delayAfterFirstCommit)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(child);
        start.ArgumentList.Add(store);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        var lines = new List<string>();
        var firstCommit = new ManualResetEventSlim();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("committed", StringComparison.Ordinal)) firstCommit.Set();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (!firstCommit.Wait(TimeSpan.FromMilliseconds(100)) && !process.HasExited && waited.Elapsed < ChildStartTimeout) { }
        if (!firstCommit.IsSet)
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
            Assert.Fail($"the crash child never committed (exit code {process.ExitCode}): {stderr}");
        }
        Thread.Sleep(delayAfterFirstCommit);
        process.Kill(); // SIGKILL on Unix: no managed or native cleanup runs
        process.WaitForExit();

        lock (lines)
        {
            List<string> commits = [.. lines.Where(line => line.StartsWith("committed", StringComparison.Ordinal))];
            return (commits.LastOrDefault(), commits.Count);
        }
    }

    private static void Verify(string path, string? lastCommit)
    {
        using RocksDbStore store = RocksDbStore.Open(path, RocksDb.RocksDbStoreTests.Small);
        var epochOfChunk = new int?[CrashWorkload.ChunkCount];
        foreach ((Hash256 root, IReadOnlyList<KeyInterval> intervals) in SyncProgressStore.ReadAll(store))
        {
            Assert.True(CrashWorkload.TryEpochOf(root, out int epoch), $"progress names an unknown root {root}");
            foreach (KeyInterval interval in intervals)
            {
                int first = ChunkStarting(interval.Start), last = ChunkEnding(interval.End);
                for (int chunk = first; chunk <= last; chunk++)
                {
                    Assert.True(epochOfChunk[chunk] is null, $"chunk {chunk} is claimed by two roots");
                    epochOfChunk[chunk] = epoch;
                }
            }
        }

        var expectedAccounts = new List<string>();
        var expectedSlots = new List<string>();
        for (int chunk = 0; chunk < CrashWorkload.ChunkCount; chunk++)
        {
            if (epochOfChunk[chunk] is not int epoch) continue;
            VerifiedChunk content = CrashWorkload.Chunk(epoch, chunk);
            expectedAccounts.AddRange(content.Accounts.Select(a => Hex(a.Key.ToArray(), a.Value.Span)));
            expectedSlots.AddRange(content.StorageSlots
                .Select(s => Hex([.. s.Account.ToArray(), .. s.Slot.ToArray()], s.Value.Span))
                .Order(StringComparer.Ordinal));
            foreach (TrieNodeBlob node in content.Nodes)
            {
                Assert.True(TrieNodeStore.TryRead(store, node.Hash, out byte[]? rlp), $"node {node.Hash} of chunk {chunk} is missing");
                Assert.Equal(node.Rlp.ToArray(), rlp);
            }
        }
        Assert.Equal(expectedAccounts, Scan(store, Schema.Accounts));
        Assert.Equal(expectedSlots, Scan(store, Schema.StorageSlots));

        if (lastCommit is not null)
        {
            string[] parts = lastCommit.Split(' ');
            int epoch = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            int chunk = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(epochOfChunk[chunk] == epoch || epochOfChunk[chunk] == epoch + 1,
                $"the last reported commit (epoch {epoch}, chunk {chunk}) was lost: chunk is held at {epochOfChunk[chunk]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no root"}");
        }
    }

    private static int ChunkStarting(Hash256 start)
    {
        int chunk = start[0] / 16;
        Assert.True(start == CrashWorkload.Interval(chunk).Start, $"progress interval starts mid-chunk at {start}");
        return chunk;
    }

    private static int ChunkEnding(Hash256 end)
    {
        int chunk = end[0] / 16;
        Assert.True(end == CrashWorkload.Interval(chunk).End, $"progress interval ends mid-chunk at {end}");
        return chunk;
    }

    private static List<string> Scan(RocksDbStore reader, StoreColumn column)
    {
        var entries = new List<string>();
        using IRangeCursor cursor = reader.Iterate(column, default, default);
        while (cursor.MoveNext()) entries.Add(Hex(cursor.Key, cursor.Value));
        return entries;
    }

    private static string Hex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Convert.ToHexString(key) + ":" + Convert.ToHexString(value);
}
