using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Tests.Storage;
using Mgr.Trie.Primitives;

// Usage: Mgr.Storage.CrashChild <store directory>
// Resumes from the store's sync progress and commits chunks of CrashWorkload until killed: every chunk of the
// current epoch in random order, then those of the next epoch (which replace the previous epoch's chunks one by
// one). Prints "committed <epoch> <chunk>" after each commit returns, so the test knows what must have survived.
//
// Usage: Mgr.Storage.CrashChild fill <store directory>
// Commits 64 KiB values until the disk is full; prints "acknowledged <i>" after each commit, "error <message>"
// for the StorageException, then "closed" once the store is disposed. Run in its own process because Debian's
// librocksdb is built with assertions on, and one of them can abort the process after a write error.
if (args.Length == 2 && args[0] == "fill") return Fill(args[1]);
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Mgr.Storage.CrashChild [fill] <store directory>");
    return 2;
}

using RocksDbStore store = RocksDbStore.Open(args[0]);
var random = new Random();
int epoch = 0;
foreach (Hash256 root in SyncProgressStore.ReadAll(store).Keys)
{
    if (CrashWorkload.TryEpochOf(root, out int held) && held > epoch) epoch = held;
}
Console.WriteLine($"ready {epoch}");
while (epoch < CrashWorkload.Epochs)
{
    Hash256 root = CrashWorkload.Root(epoch);
    int[] missing = [.. Enumerable.Range(0, CrashWorkload.ChunkCount)
        .Where(chunk => !SyncProgressStore.IsHeld(store, root, CrashWorkload.Interval(chunk)))];
    if (missing.Length == 0)
    {
        epoch++;
        continue;
    }
    int next = missing[random.Next(missing.Length)];
    ChunkStore.Commit(store, CrashWorkload.Chunk(epoch, next));
    Console.WriteLine($"committed {epoch} {next}");
}
return 0;

static int Fill(string path)
{
    var options = new RocksDbOptions { BlockCacheBytes = 4 << 20, WriteBufferBytes = 1 << 20, Parallelism = 2 };
    using (RocksDbStore store = RocksDbStore.Open(path, options))
    {
        for (int i = 0; i < 100_000; i++)
        {
            try
            {
                using IWriteBatch batch = store.BeginBatch();
                batch.Put(Schema.Code, CrashWorkload.FillKey(i), CrashWorkload.FillValue(i));
                batch.Put(Schema.Meta, CrashWorkload.FillCountKey, CrashWorkload.FillKey(i));
                batch.Commit();
                Console.WriteLine($"acknowledged {i}");
            }
            catch (StorageException e)
            {
                Console.WriteLine($"error {e.Message}");
                break;
            }
        }
    }
    Console.WriteLine("closed");
    return 0;
}
