using System.Runtime.InteropServices;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>P/Invoke declarations for the subset of RocksDB's C API (7.8) the binding uses.</summary>
/// <remarks>
/// The import names the exact soname of Debian's runtime package (<c>librocksdb7.8</c>), so no
/// <c>librocksdb.so</c> development symlink and no per-assembly DllImport resolver are needed (a resolver can be
/// set only once per assembly, and Mgr.Node is shared by several native bindings). Handles are passed as
/// <see cref="SafeHandle"/>s so the marshaller keeps them alive for the duration of each call, except on hot paths
/// (iterator steps, batch and SST puts): their wrappers are single-threaded, check disposal first and own the
/// handle for their whole life, so they pass the raw pointer and skip per-call reference counting.
/// </remarks>
internal static unsafe partial class RocksDbNative
{
    public const string Library = "librocksdb.so.7.8";

    // --- memory -------------------------------------------------------------------------------------
    [LibraryImport(Library)] public static partial void rocksdb_free(nint ptr);

    // --- options ------------------------------------------------------------------------------------
    [LibraryImport(Library)] public static partial nint rocksdb_options_create();
    [LibraryImport(Library)] public static partial void rocksdb_options_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_create_if_missing(OptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_create_missing_column_families(OptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_options_increase_parallelism(OptionsHandle options, int totalThreads);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_compression(OptionsHandle options, int compression);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_write_buffer_size(OptionsHandle options, nuint bytes);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_db_write_buffer_size(OptionsHandle options, nuint bytes);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_max_open_files(OptionsHandle options, int value);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_keep_log_file_num(OptionsHandle options, nuint value);
    [LibraryImport(Library)] public static partial void rocksdb_options_set_block_based_table_factory(OptionsHandle options, BlockBasedTableOptionsHandle tableOptions);

    [LibraryImport(Library)] public static partial nint rocksdb_block_based_options_create();
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_block_cache(BlockBasedTableOptionsHandle options, CacheHandle cache);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_filter_policy(BlockBasedTableOptionsHandle options, nint filterPolicy);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_index_type(BlockBasedTableOptionsHandle options, int indexType);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_partition_filters(BlockBasedTableOptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks(BlockBasedTableOptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks_with_high_priority(BlockBasedTableOptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_block_based_options_set_pin_top_level_index_and_filter(BlockBasedTableOptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);
    [LibraryImport(Library)] public static partial nint rocksdb_cache_create_lru(nuint capacity);
    [LibraryImport(Library)] public static partial void rocksdb_cache_destroy(nint cache);

    [LibraryImport(Library)] public static partial nint rocksdb_readoptions_create();
    [LibraryImport(Library)] public static partial void rocksdb_readoptions_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_readoptions_set_snapshot(ReadOptionsHandle options, SnapshotHandle snapshot);
    [LibraryImport(Library)] public static partial void rocksdb_readoptions_set_iterate_lower_bound(ReadOptionsHandle options, byte* key, nuint keyLength);
    [LibraryImport(Library)] public static partial void rocksdb_readoptions_set_iterate_upper_bound(ReadOptionsHandle options, byte* key, nuint keyLength);

    [LibraryImport(Library)] public static partial nint rocksdb_writeoptions_create();
    [LibraryImport(Library)] public static partial void rocksdb_writeoptions_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_writeoptions_set_sync(WriteOptionsHandle options, byte value);
    [LibraryImport(Library)] public static partial void rocksdb_writeoptions_disable_WAL(WriteOptionsHandle options, int disable);

    [LibraryImport(Library)] public static partial nint rocksdb_flushoptions_create();
    [LibraryImport(Library)] public static partial void rocksdb_flushoptions_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_flushoptions_set_wait(nint options, byte value);

    // --- database -----------------------------------------------------------------------------------
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint rocksdb_open_column_families(OptionsHandle options, string name, int count, nint* names, nint* columnOptions, nint* handles, out nint error);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint rocksdb_open_for_read_only_column_families(OptionsHandle options, string name, int count, nint* names, nint* columnOptions, nint* handles, byte errorIfWalFileExists, out nint error);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint* rocksdb_list_column_families(OptionsHandle options, string name, out nuint count, out nint error);
    [LibraryImport(Library)] public static partial void rocksdb_list_column_families_destroy(nint* list, nuint count);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint rocksdb_create_column_family(DatabaseHandle db, OptionsHandle options, string name, out nint error);
    [LibraryImport(Library)] public static partial void rocksdb_column_family_handle_destroy(nint handle);
    [LibraryImport(Library)] public static partial void rocksdb_close(nint db);

    [LibraryImport(Library)]
    public static partial void rocksdb_put_cf(DatabaseHandle db, WriteOptionsHandle options, ColumnFamilyHandle cf, byte* key, nuint keyLength, byte* value, nuint valueLength, out nint error);
    [LibraryImport(Library)]
    public static partial void rocksdb_delete_cf(DatabaseHandle db, WriteOptionsHandle options, ColumnFamilyHandle cf, byte* key, nuint keyLength, out nint error);
    [LibraryImport(Library)]
    public static partial nint rocksdb_get_pinned_cf(DatabaseHandle db, ReadOptionsHandle options, ColumnFamilyHandle cf, byte* key, nuint keyLength, out nint error);
    [LibraryImport(Library)] public static partial byte* rocksdb_pinnableslice_value(nint slice, out nuint length);
    [LibraryImport(Library)] public static partial void rocksdb_pinnableslice_destroy(nint slice);
    [LibraryImport(Library)] public static partial void rocksdb_write(DatabaseHandle db, WriteOptionsHandle options, WriteBatchHandle batch, out nint error);
    [LibraryImport(Library)] public static partial void rocksdb_flush_cf(DatabaseHandle db, nint flushOptions, ColumnFamilyHandle cf, out nint error);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint rocksdb_property_value_cf(DatabaseHandle db, ColumnFamilyHandle cf, string name);

    // --- write batches ------------------------------------------------------------------------------
    [LibraryImport(Library)] public static partial nint rocksdb_writebatch_create();
    [LibraryImport(Library)] public static partial void rocksdb_writebatch_destroy(nint batch);
    [LibraryImport(Library)] public static partial void rocksdb_writebatch_clear(WriteBatchHandle batch);
    [LibraryImport(Library)] public static partial int rocksdb_writebatch_count(WriteBatchHandle batch);
    [LibraryImport(Library)]
    public static partial void rocksdb_writebatch_put_cf(nint batch, ColumnFamilyHandle cf, byte* key, nuint keyLength, byte* value, nuint valueLength);
    [LibraryImport(Library)]
    public static partial void rocksdb_writebatch_delete_cf(nint batch, ColumnFamilyHandle cf, byte* key, nuint keyLength);
    [LibraryImport(Library)]
    public static partial void rocksdb_writebatch_delete_range_cf(WriteBatchHandle batch, ColumnFamilyHandle cf, byte* start, nuint startLength, byte* end, nuint endLength);

    // --- iterators and snapshots --------------------------------------------------------------------
    [LibraryImport(Library)] public static partial nint rocksdb_create_iterator_cf(DatabaseHandle db, ReadOptionsHandle options, ColumnFamilyHandle cf);
    [LibraryImport(Library)] public static partial void rocksdb_iter_destroy(nint iterator);
    [LibraryImport(Library)] public static partial byte rocksdb_iter_valid(nint iterator);
    [LibraryImport(Library)] public static partial void rocksdb_iter_seek_to_first(nint iterator);
    [LibraryImport(Library)] public static partial void rocksdb_iter_seek(nint iterator, byte* key, nuint keyLength);
    [LibraryImport(Library)] public static partial void rocksdb_iter_next(nint iterator);
    [LibraryImport(Library)] public static partial byte* rocksdb_iter_key(nint iterator, out nuint length);
    [LibraryImport(Library)] public static partial byte* rocksdb_iter_value(nint iterator, out nuint length);
    [LibraryImport(Library)] public static partial void rocksdb_iter_get_error(nint iterator, out nint error);
    [LibraryImport(Library)] public static partial nint rocksdb_create_snapshot(DatabaseHandle db);
    [LibraryImport(Library)] public static partial void rocksdb_release_snapshot(nint db, nint snapshot);

    // --- SST files ----------------------------------------------------------------------------------
    [LibraryImport(Library)] public static partial nint rocksdb_envoptions_create();
    [LibraryImport(Library)] public static partial void rocksdb_envoptions_destroy(nint options);
    [LibraryImport(Library)] public static partial nint rocksdb_sstfilewriter_create(nint envOptions, OptionsHandle options);
    [LibraryImport(Library)] public static partial void rocksdb_sstfilewriter_destroy(nint writer);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rocksdb_sstfilewriter_open(SstFileWriterHandle writer, string path, out nint error);
    [LibraryImport(Library)]
    public static partial void rocksdb_sstfilewriter_put(nint writer, byte* key, nuint keyLength, byte* value, nuint valueLength, out nint error);
    [LibraryImport(Library)] public static partial void rocksdb_sstfilewriter_finish(SstFileWriterHandle writer, out nint error);
    [LibraryImport(Library)] public static partial nint rocksdb_ingestexternalfileoptions_create();
    [LibraryImport(Library)] public static partial void rocksdb_ingestexternalfileoptions_destroy(nint options);
    [LibraryImport(Library)] public static partial void rocksdb_ingestexternalfileoptions_set_move_files(nint options, byte value);
    [LibraryImport(Library)]
    public static partial void rocksdb_ingest_external_file_cf(DatabaseHandle db, ColumnFamilyHandle cf, nint* files, nuint count, nint options, out nint error);

    /// <summary>Turns a RocksDB <c>char** errptr</c> result into a <see cref="StorageException"/> (and frees it).</summary>
    public static void ThrowIfError(nint error, string operation)
    {
        if (error != 0) ThrowError(error, operation);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Diagnostics.StackTraceHidden]
    private static void ThrowError(nint error, string operation)
    {
        string message = Marshal.PtrToStringUTF8(error) ?? "unknown error";
        rocksdb_free(error);
        throw new StorageException($"RocksDB {operation} failed: {message}");
    }
}
