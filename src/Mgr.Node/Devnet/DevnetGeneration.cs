using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Devnet;

/// <summary>Generates a complete devnet data directory (spec/devnet.md): <c>devnet.json</c>, <c>genesis.json</c>, the
/// node store <c>db</c> at the head, the chain log of blocks 1…B and the preverified hashes. Deterministic: the same
/// parameters give byte-identical files (the RocksDB files aside, whose content is the same).</summary>
public static class DevnetGeneration
{
    /// <summary>Generates the devnet into <paramref name="directory"/>, which must not hold one already.</summary>
    /// <exception cref="DevnetException">When the directory already holds a devnet.</exception>
    public static DevnetSummary Run(DevnetDirectory directory, DevnetParameters parameters, int blocks, long etlBufferBytes = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        parameters.Validate();
        if (File.Exists(directory.GenesisPath) || File.Exists(directory.ChainLogPath) || Directory.Exists(directory.StorePath))
            throw new DevnetException($"{directory.Root} already holds a devnet; choose an empty directory.");
        Directory.CreateDirectory(directory.Root);
        parameters.Save(directory.ParametersPath);
        try
        {
            using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
            DevnetChain chain;
            using (var genesis = new FileStream(directory.GenesisPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                chain = DevnetChain.Create(store, parameters, directory.TemporaryPath, genesis, etlBufferBytes);
                genesis.Flush(flushToDisk: true);
            }
            using (ChainLog log = ChainLog.Open(directory.ChainLogPath))
            {
                for (int i = 0; i < blocks; i++) chain.ProduceNext(beforeCommit: log.Append);
            }
            WritePreverifiedHashes(store, chain.Head.Number, directory.PreverifiedHashesPath);
            store.Flush();
            (long accounts, long stateBytes) = MeasureState(store);
            return new DevnetSummary(chain.Genesis.Hash, chain.Genesis.StateRoot, chain.Head.Number, chain.Head.Hash, chain.Head.StateRoot,
                accounts, stateBytes);
        }
        finally
        {
            if (Directory.Exists(directory.TemporaryPath)) Directory.Delete(directory.TemporaryPath, recursive: true);
        }
    }

    /// <summary>Writes the preverified-hashes file (<see cref="PreverifiedHashes"/>: the canonical hash of every 192nd
    /// block up to <paramref name="head"/>) from <paramref name="store"/>, replacing <paramref name="path"/> atomically.</summary>
    public static void WritePreverifiedHashes(IKeyValueReader store, ulong head, string path)
    {
        ArgumentNullException.ThrowIfNull(store);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true))
            {
                PreverifiedHashes.Generate(store, head).Write(writer, "devnet preverified hashes; regenerate with: mgr devnet preverified --datadir <dir>");
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Accounts in the flat state and bytes (keys + values) of flat accounts, storage and code.</summary>
    public static (long Accounts, long StateBytes) MeasureState(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long accounts = 0, bytes = 0;
        using (IRangeCursor cursor = reader.Iterate(Schema.Accounts, [], []))
        {
            while (cursor.MoveNext())
            {
                accounts++;
                bytes += cursor.Key.Length + cursor.Value.Length;
            }
        }
        foreach (StoreColumn column in (ReadOnlySpan<StoreColumn>)[Schema.StorageSlots, Schema.Code])
        {
            using IRangeCursor cursor = reader.Iterate(column, [], []);
            while (cursor.MoveNext()) bytes += cursor.Key.Length + cursor.Value.Length;
        }
        return (accounts, bytes);
    }
}
