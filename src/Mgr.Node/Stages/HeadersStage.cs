using System.Buffers;
using System.Buffers.Binary;
using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Stages;

/// <summary>The Headers stage: reverse header sync from the latest finalized header down to the
/// weak-subjectivity checkpoint, storing headers as canonical with persistent segment markers.</summary>
/// <remarks>
/// <para>Checkpoint: <c>BlockNumber</c> is the highest block B such that every header from the checkpoint up to
/// B is stored and linked; <c>Cursor</c> is empty when nothing is in progress, else the 8-byte big-endian lowest
/// number of the segment being downloaded (for status).</para>
/// <para>A step starts from the segment whose top is the finalized header (creating it if new), then: while the
/// header just below it is the top of a stored segment whose hash is the one expected, it merges with that segment
/// and skips over it (nothing re-downloaded); a stored header there with another hash is deleted (with its canonical
/// mapping), and if it was inside the complete range every stage unwinds below it. Otherwise it downloads, through
/// a <see cref="ReverseHeaderFeed"/> kept across steps (the sliding window) and the <see cref="HeaderDispatcher"/>,
/// down to the next stored segment or the checkpoint, storing up to <see cref="HeaderSyncOptions.HeadersPerStep"/>
/// headers per step. Reaching the checkpoint height with another hash aborts with <see cref="HeaderSyncException"/>.</para>
/// <para>Unwind deletes the canonical headers of the complete range above the unwind block and shortens its marker.</para>
/// </remarks>
public sealed class HeadersStage(IKeyValueStore store, HeaderSyncTarget target, HeaderDispatcher dispatcher, HeaderSyncOptions options) : IStage
{
    private ReverseHeaderFeed? _feed;

    public StageId Id => StageId.Headers;

    public async ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BlockHeader top = target.Finalized ?? throw new HeaderSyncException("no finalized block yet: the consensus driver has not sent one");
        ulong bottom = target.Checkpoint.Number;
        ulong complete = input.Checkpoint?.BlockNumber ?? 0;
        if (top.Number < bottom)
            throw new HeaderSyncException($"the finalized block {top.Number} is below the checkpoint {target.Checkpoint}: the checkpoint is not on this chain");

        List<HeaderSegment> segments = [.. HeaderSegmentStore.ReadAll(store)];
        int activeIndex = segments.FindIndex(s => s.To == top.Number && s.ToHash == top.Hash);
        HeaderSegment? active = activeIndex < 0 ? null : segments[activeIndex];
        ulong from;
        Hash256 fromHash, edge;
        if (active is { } found)
        {
            segments.RemoveAt(activeIndex);
            from = found.From;
            fromHash = found.FromHash;
            edge = ReadHeader(from, fromHash).ParentHash;
        }
        else
        {
            DeleteConflicts(batch, top.Number, top.Hash, segments);
            WriteHeader(batch, top);
            from = top.Number;
            fromHash = top.Hash;
            edge = top.ParentHash;
        }
        ulong originalFrom = active?.From ?? from;
        ulong? unwindTo = null;

        while (from > bottom)
        {
            ulong next = from - 1;
            int below = segments.FindIndex(s => s.To == next);
            if (below >= 0 && segments[below].ToHash == edge)
            {
                HeaderSegment merged = segments[below];
                HeaderSegmentStore.Delete(batch, merged.From);
                segments.RemoveAt(below);
                from = merged.From;
                fromHash = merged.FromHash;
                edge = from > bottom ? ReadHeader(from, fromHash).ParentHash : default;
                continue;
            }
            if (DeleteConflicts(batch, next, edge, segments) && next <= complete)
            {
                unwindTo = next - 1; // the complete range held another chain: later stages must drop what hangs on it
                break;
            }
            ulong low = bottom;
            foreach (HeaderSegment s in segments)
            {
                if (s.To < next && s.To + 1 > low) low = s.To + 1;
            }
            IReadOnlyList<BlockHeader> downloaded = await DownloadAsync(next, edge, low, cancellation).ConfigureAwait(false);
            foreach (BlockHeader header in downloaded) WriteHeader(batch, header);
            BlockHeader last = downloaded[^1];
            from = last.Number;
            fromHash = last.Hash;
            edge = last.ParentHash;
            if (from > low) break; // one download per step; the next step goes on
        }

        if (from == bottom && fromHash != target.Checkpoint.Hash)
        {
            throw new HeaderSyncException($"the header at checkpoint height {bottom} is {fromHash}, but the checkpoint says "
                + $"{target.Checkpoint.Hash}: the checkpoint is not on the finalized chain (wrong --checkpoint?)");
        }
        if (originalFrom != from) HeaderSegmentStore.Delete(batch, originalFrom);
        HeaderSegmentStore.Write(batch, new HeaderSegment(from, top.Number, fromHash, top.Hash));
        if (from == bottom) return new ExecOutput(new StageCheckpoint(top.Number, ReadOnlyMemory<byte>.Empty), Done: true, unwindTo);
        var cursor = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(cursor, from);
        return new ExecOutput(new StageCheckpoint(complete, cursor), Done: false, unwindTo);
    }

    public ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ulong bottom = target.Checkpoint.Number;
        ulong reached = input.Checkpoint.BlockNumber;
        if (reached <= input.UnwindTo) return ValueTask.FromResult(new StageCheckpoint(reached, ReadOnlyMemory<byte>.Empty));
        for (ulong n = reached; n > input.UnwindTo && n >= bottom; n--)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!HeaderStore.TryReadCanonical(store, n, out Hash256 hash)) continue;
            HeaderStore.Delete(batch, n, hash);
            HeaderStore.DeleteCanonical(batch, n);
        }
        foreach (HeaderSegment segment in HeaderSegmentStore.ReadAll(store))
        {
            if (segment.To <= input.UnwindTo || segment.From > reached) continue;
            if (segment.From > input.UnwindTo)
            {
                HeaderSegmentStore.Delete(batch, segment.From);
            }
            else if (HeaderStore.TryReadCanonical(store, input.UnwindTo, out Hash256 newTop))
            {
                HeaderSegmentStore.Write(batch, segment with { To = input.UnwindTo, ToHash = newTop });
            }
        }
        ulong unwound = input.UnwindTo < bottom ? 0 : input.UnwindTo;
        return ValueTask.FromResult(new StageCheckpoint(unwound, ReadOnlyMemory<byte>.Empty));
    }

    private async Task<IReadOnlyList<BlockHeader>> DownloadAsync(ulong next, Hash256 edge, ulong low, CancellationToken cancellation)
    {
        if (_feed is null || _feed.IsComplete || _feed.EdgeNumber != next || _feed.EdgeHash != edge || _feed.Low != low || _feed.ReadyCount > 0)
            _feed = new ReverseHeaderFeed(next, edge, low, options.MemoryLimitBytes);
        ReverseHeaderFeed feed = _feed;
        await dispatcher.RunAsync(feed, () => feed.ReadyCount >= options.HeadersPerStep || feed.IsComplete, cancellation).ConfigureAwait(false);
        IReadOnlyList<BlockHeader> ready = feed.TakeReady();
        if (ready.Count == 0) throw new HeaderSyncException($"header download stalled at block {next}: no peer gave usable headers");
        return ready;
    }

    // Deletes stored headers at `number` whose hash is not `keep` (and their canonical mapping); shortens the
    // segment they topped. Returns true when something was deleted.
    private bool DeleteConflicts(IWriteBatch batch, ulong number, Hash256 keep, List<HeaderSegment> segments)
    {
        var stale = new List<Hash256>();
        Span<byte> lower = stackalloc byte[Schema.NumberLength], upper = stackalloc byte[Schema.NumberLength];
        Schema.WriteNumber(number, lower);
        Schema.WriteNumber(number + 1, upper);
        using (IRangeCursor cursor = store.Iterate(Schema.Headers, lower, number == ulong.MaxValue ? default : upper))
        {
            while (cursor.MoveNext())
            {
                var hash = new Hash256(cursor.Key[Schema.NumberLength..Schema.HeaderKeyLength]);
                if (hash != keep) stale.Add(hash);
            }
        }
        if (stale.Count == 0) return false;
        foreach (Hash256 hash in stale)
        {
            BlockHeader header = ReadHeader(number, hash);
            HeaderStore.Delete(batch, number, hash);
            if (HeaderStore.TryReadCanonical(store, number, out Hash256 canonical) && canonical == hash) HeaderStore.DeleteCanonical(batch, number);
            int index = segments.FindIndex(s => s.To == number && s.ToHash == hash);
            if (index < 0) continue;
            HeaderSegment segment = segments[index];
            HeaderSegmentStore.Delete(batch, segment.From);
            segments.RemoveAt(index);
            if (segment.From < number)
            {
                var shortened = segment with { To = number - 1, ToHash = header.ParentHash };
                HeaderSegmentStore.Write(batch, shortened);
                segments.Add(shortened);
            }
        }
        return true;
    }

    private BlockHeader ReadHeader(ulong number, Hash256 hash)
    {
        var rlp = new ArrayBufferWriter<byte>(1024);
        if (!HeaderStore.TryRead(store, number, hash, rlp))
            throw new StorageException($"header {number} ({hash}) is named by a segment marker but not stored");
        return BlockHeader.Decode(rlp.WrittenSpan);
    }

    private static void WriteHeader(IWriteBatch batch, BlockHeader header)
    {
        int length = header.EncodedLength;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.WriteTo(buffer);
            HeaderStore.Write(batch, header.Number, header.Hash, buffer.AsSpan(0, length));
            HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
