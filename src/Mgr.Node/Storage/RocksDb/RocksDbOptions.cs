namespace Mgr.Node.Storage.RocksDb;

/// <summary>How a <see cref="RocksDatabase"/> is opened. Every column family gets the same table settings:
/// a block-based table sharing one LRU block cache, with a full bloom filter when <see cref="BloomBitsPerKey"/> &gt; 0.</summary>
/// <remarks>Memory: the block cache holds data, index and filter blocks alike (<see cref="BlockCacheBytes"/>), plus the
/// memtables (<see cref="TotalWriteBufferBytes"/>); nothing else grows with the store (docs/limits.md §2).</remarks>
public sealed record RocksDbOptions
{
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Shared LRU block cache size. Index and filter blocks are partitioned (a two-level index and partitioned
    /// filters, the top level pinned) and cached here with high priority, so they count against this size instead of
    /// growing with the number of open SST files. Partitioned, a miss reloads one small partition; whole index blocks
    /// evicted and reloaded on every read were measured at ~70× slower point reads.</summary>
    public ulong BlockCacheBytes { get; init; } = 128UL << 20;

    /// <summary>Bloom filter bits per key; 10 gives about 1 % false positives; 0 turns filters off.</summary>
    public double BloomBitsPerKey { get; init; } = 10;

    public RocksDbCompression Compression { get; init; } = RocksDbCompression.Snappy;

    /// <summary>Memtable size per column family before it is flushed to an SST file.</summary>
    public ulong WriteBufferBytes { get; init; } = 64UL << 20;

    /// <summary>Memtables of all column families together, at most (RocksDB's <c>db_write_buffer_size</c>): past it the
    /// largest is flushed, so memory does not grow with the number of columns written at once. 0: no global cap.</summary>
    public ulong TotalWriteBufferBytes { get; init; } = 128UL << 20;

    /// <summary>Background threads for flushes and compactions.</summary>
    public int Parallelism { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>-1 keeps every SST file open (fastest); lower it when file descriptors are scarce.</summary>
    public int MaxOpenFiles { get; init; } = 512;

    /// <summary>Fsync the write-ahead log on every write: survives power loss, not only process crashes.</summary>
    public bool SyncWrites { get; init; }

    /// <summary>Open an existing database for reading only: takes no lock, so it works beside the process that has it
    /// open for writing (it sees the data as of the moment it was opened); every write fails; no column family is
    /// created.</summary>
    public bool ReadOnly { get; init; }

    public static RocksDbOptions Default { get; } = new();

    // BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch: the partitioned index.
    private const int TwoLevelIndexSearch = 2;

    internal OptionsHandle CreateNative()
    {
        var options = new OptionsHandle();
        try
        {
            RocksDbNative.rocksdb_options_set_create_if_missing(options, CreateIfMissing ? (byte)1 : (byte)0);
            RocksDbNative.rocksdb_options_set_create_missing_column_families(options, 1);
            RocksDbNative.rocksdb_options_increase_parallelism(options, Parallelism);
            RocksDbNative.rocksdb_options_set_compression(options, (int)Compression);
            RocksDbNative.rocksdb_options_set_write_buffer_size(options, (nuint)WriteBufferBytes);
            RocksDbNative.rocksdb_options_set_db_write_buffer_size(options, (nuint)TotalWriteBufferBytes);
            RocksDbNative.rocksdb_options_set_max_open_files(options, MaxOpenFiles);
            RocksDbNative.rocksdb_options_set_keep_log_file_num(options, 4);
            using var table = new BlockBasedTableOptionsHandle();
            using (var cache = new CacheHandle(BlockCacheBytes))
            {
                RocksDbNative.rocksdb_block_based_options_set_block_cache(table, cache);
            }
            if (BloomBitsPerKey > 0)
            {
                nint bloom = RocksDbNative.rocksdb_filterpolicy_create_bloom_full(BloomBitsPerKey);
                if (bloom == 0) throw new StorageException("RocksDB could not create a bloom filter policy.");
                RocksDbNative.rocksdb_block_based_options_set_filter_policy(table, bloom); // takes ownership
                RocksDbNative.rocksdb_block_based_options_set_partition_filters(table, 1);
            }
            RocksDbNative.rocksdb_block_based_options_set_index_type(table, TwoLevelIndexSearch);
            RocksDbNative.rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1);
            RocksDbNative.rocksdb_block_based_options_set_cache_index_and_filter_blocks_with_high_priority(table, 1);
            RocksDbNative.rocksdb_block_based_options_set_pin_top_level_index_and_filter(table, 1);
            RocksDbNative.rocksdb_options_set_block_based_table_factory(options, table); // copies the table options
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
