using System.Buffers;
using System.Buffers.Binary;
using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Stages;

/// <summary>Optional stage (off by default; runs after the others): downloads the headers below the checkpoint
/// H_W down to genesis, backwards from H_W's parent, using the preverified hashes of the network.</summary>
/// <remarks>
/// <para>Checkpoint: null until it starts; while in progress <c>BlockNumber</c> 0 and <c>Cursor</c> = 8-byte BE
/// lowest stored block; when done <c>BlockNumber</c> = the target and an empty cursor.</para>
/// <para>A step first aligns: from H_W − 1 down to the nearest multiple of 192 above it (ordinary reverse download
/// with a skeleton from peers); then from that multiple of 192, whose hash must equal the preverified entry (else
/// the list or the chain is wrong: <see cref="HeaderSyncException"/>), slices between preverified hashes are
/// checked against them directly. Headers are written canonical; the checkpoint cursor is the marker.</para>
/// <para>Unwind to a block below H_W deletes the backfilled headers above it and restarts the backfill from H_W.</para>
/// </remarks>
public sealed class BackfillStage(IKeyValueStore store, HeaderSyncTarget target, HeaderDispatcher dispatcher, HeaderSyncOptions options,
    PreverifiedHashes preverified) : IStage
{
    private ReverseHeaderFeed? _feed;

    public StageId Id => StageId.Backfill;

    public async ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ulong checkpointNumber = target.Checkpoint.Number;
        ulong lowest = input.Checkpoint switch
        {
            null => checkpointNumber,
            { Cursor.Length: 8 } c => BinaryPrimitives.ReadUInt64BigEndian(c.Cursor.Span),
            _ => 0, // done before: nothing below the checkpoint is missing
        };
        if (lowest == 0) return new ExecOutput(new StageCheckpoint(input.Target, ReadOnlyMemory<byte>.Empty), Done: true);

        BlockHeader above = ReadCanonical(lowest)
            ?? throw new HeaderSyncException($"backfill needs the header at {lowest} (the Headers stage runs first)");
        ulong top = lowest - 1;
        ulong aligned = top / PreverifiedHashes.Interval * PreverifiedHashes.Interval;
        ulong low = top == aligned ? 0 : aligned + 1;
        if (top == aligned && preverified.Entries.TryGetValue(top, out Hash256 listed) && listed != above.ParentHash)
            throw new HeaderSyncException($"preverified hash of block {top} is {listed}, but the chain from the checkpoint has {above.ParentHash}: wrong preverified list for this network?");

        if (_feed is null || _feed.IsComplete || _feed.EdgeNumber != top || _feed.EdgeHash != above.ParentHash || _feed.Low != low)
            _feed = new ReverseHeaderFeed(top, above.ParentHash, low, options.MemoryLimitBytes, preverified);
        ReverseHeaderFeed feed = _feed;
        await dispatcher.RunAsync(feed, () => feed.ReadyCount >= options.HeadersPerStep || feed.IsComplete, cancellation).ConfigureAwait(false);
        IReadOnlyList<BlockHeader> headers = feed.TakeReady();
        if (headers.Count == 0) throw new HeaderSyncException($"backfill stalled at block {top}: no peer gave usable headers");
        foreach (BlockHeader header in headers) Write(batch, header);

        ulong reached = headers[^1].Number;
        if (reached == 0) return new ExecOutput(new StageCheckpoint(input.Target, ReadOnlyMemory<byte>.Empty), Done: true);
        var cursor = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(cursor, reached);
        return new ExecOutput(new StageCheckpoint(0, cursor), Done: false);
    }

    public ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ulong checkpointNumber = target.Checkpoint.Number;
        if (input.UnwindTo + 1 >= checkpointNumber)
        {
            StageCheckpoint kept = input.Checkpoint.Cursor.IsEmpty
                ? new StageCheckpoint(Math.Min(input.Checkpoint.BlockNumber, input.UnwindTo), ReadOnlyMemory<byte>.Empty)
                : input.Checkpoint;
            return ValueTask.FromResult(kept);
        }
        for (ulong n = input.UnwindTo + 1; n < checkpointNumber; n++)
        {
            if (!HeaderStore.TryReadCanonical(store, n, out Hash256 hash)) continue;
            HeaderStore.Delete(batch, n, hash);
            HeaderStore.DeleteCanonical(batch, n);
        }
        var cursor = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(cursor, checkpointNumber);
        return ValueTask.FromResult(new StageCheckpoint(0, cursor));
    }

    private BlockHeader? ReadCanonical(ulong number)
    {
        if (!HeaderStore.TryReadCanonical(store, number, out Hash256 hash)) return null;
        var rlp = new ArrayBufferWriter<byte>(1024);
        return HeaderStore.TryRead(store, number, hash, rlp) ? BlockHeader.Decode(rlp.WrittenSpan) : null;
    }

    private static void Write(IWriteBatch batch, BlockHeader header)
    {
        byte[] rlp = header.Encode();
        HeaderStore.Write(batch, header.Number, header.Hash, rlp);
        HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
    }
}
