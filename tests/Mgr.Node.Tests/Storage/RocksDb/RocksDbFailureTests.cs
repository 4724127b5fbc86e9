using System.Buffers.Binary;
using System.Diagnostics;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.Storage.RocksDb;

/// <summary>Disk full and read-only directories: a clear <see cref="StorageException"/>, and nothing already
/// committed is lost or corrupted.</summary>
public sealed class RocksDbFailureTests(ITestOutputHelper output) : IDisposable
{
    private static readonly RocksDbOptions Options = RocksDbStoreTests.Small with { WriteBufferBytes = 1 << 20 };
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public void Disk_full_gives_a_clear_error_and_keeps_every_acknowledged_commit()
    {
        string mount = _directory.Combine("tmpfs");
        Directory.CreateDirectory(mount);
        SystemCommand.Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount);
        try
        {
            string path = Path.Combine(mount, "db");
            (int exitCode, List<string> lines, string stderr) = RunFillChild(path);

            int acknowledged = lines.Count(line => line.StartsWith("acknowledged ", StringComparison.Ordinal));
            Assert.True(acknowledged > 0);
            if (exitCode == 0)
            {
                string? error = lines.SingleOrDefault(line => line.StartsWith("error ", StringComparison.Ordinal));
                Assert.True(error is not null, $"no error reported; last lines: {string.Join(" | ", lines.TakeLast(3))}");
                Assert.Contains("No space left on device", error, StringComparison.Ordinal);
                Assert.Equal("closed", lines[^1]);
            }
            else
            {
                // Known defect of Debian's librocksdb 7.8 (built with assertions on): after ENOSPC in a background
                // flush, a write to the failed file trips an assert and aborts the process (1 to 2 runs in 6 here).
                // Anything else is a real failure; either way nothing acknowledged may be lost or corrupted.
                Assert.Contains("AssertFalseAndGetStatusForPrevError", stderr, StringComparison.Ordinal);
                output.WriteLine($"librocksdb aborted the child after the disk filled (exit {exitCode}): {stderr}");
            }

            SystemCommand.Run("mount", "-o", "remount,size=256m", mount);
            using RocksDbStore reopened = RocksDbStore.Open(path, Options);
            int last = BinaryPrimitives.ReadInt32BigEndian(reopened.Get(Schema.Meta, CrashWorkload.FillCountKey));
            Assert.InRange(last, acknowledged - 1, acknowledged); // the failed batch is all there or not at all
            for (int i = 0; i <= last; i++) Assert.Equal(CrashWorkload.FillValue(i), reopened.Get(Schema.Code, CrashWorkload.FillKey(i)));
            Assert.Null(reopened.Get(Schema.Code, CrashWorkload.FillKey(last + 1)));
        }
        finally
        {
            SystemCommand.Run("umount", mount);
        }
    }

    // The store that hits the full disk lives in the crash child: Debian's librocksdb has assertions on, and one can
    // abort the process after a write error (seen at about half the runs), which must not take the test host down.
    private static (int ExitCode, List<string> Lines, string Stderr) RunFillChild(string path)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { CrashChildLocator.Locate(), "fill", path }) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        process.WaitForExit();
        return (process.ExitCode, lines, stderr.Result);
    }

    [RootFact]
    public void Read_only_directory_gives_a_clear_error_and_leaves_the_store_intact()
    {
        string path = _directory.Combine("db");
        using (RocksDbStore store = RocksDbStore.Open(path, Options))
        {
            using IWriteBatch batch = store.BeginBatch();
            batch.Put(Schema.Code, CrashWorkload.FillKey(1), CrashWorkload.FillValue(1));
            batch.Commit();
        }
        string[] filesBefore = [.. Directory.GetFiles(path).Order()];

        SystemCommand.Run("chattr", "+i", path); // root ignores permission bits, not the immutable attribute
        StorageException error;
        try
        {
            error = Assert.Throws<StorageException>(() => RocksDbStore.Open(path, Options));
        }
        finally
        {
            SystemCommand.Run("chattr", "-i", path);
        }

        Assert.Contains("Operation not permitted", error.Message, StringComparison.Ordinal);
        Assert.Equal(filesBefore, Directory.GetFiles(path).Order());
        using RocksDbStore reopened = RocksDbStore.Open(path, Options);
        Assert.Equal(CrashWorkload.FillValue(1), reopened.Get(Schema.Code, CrashWorkload.FillKey(1)));
    }

    [Fact]
    public void Store_path_that_cannot_be_created_gives_a_clear_error()
    {
        StorageException error = Assert.Throws<StorageException>(() => RocksDbStore.Open("/proc/mgr-storage-test/db", Options));

        Assert.Contains("'/proc/mgr-storage-test/db'", error.Message, StringComparison.Ordinal);
    }
}
