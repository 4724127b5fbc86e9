using System.Buffers.Binary;
using Mgr.Node.Stages;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Stages;

/// <summary>A test stage that stores one entry per block (in the Meta column, under its own prefix), at most
/// <see cref="BlocksPerStep"/> per step, and logs what the pipeline asked of it.</summary>
public sealed class CountingStage(StageId id, List<string> log, int blocksPerStep = 10) : IStage
{
    public StageId Id { get; } = id;

    public int BlocksPerStep { get; } = blocksPerStep;

    /// <summary>When set, the step that reaches this block asks every stage to unwind to <see cref="UnwindRequest"/>.</summary>
    public ulong? UnwindAtBlock { get; set; }

    public ulong UnwindRequest { get; set; }

    public static byte[] Key(StageId id, ulong block)
    {
        var key = new byte[11];
        "cs:"u8.CopyTo(key);
        key[2] = (byte)id;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(3), block);
        return key;
    }

    public ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ulong from = input.Checkpoint?.BlockNumber ?? 0;
        ulong to = Math.Min(input.Target, from + (ulong)BlocksPerStep);
        log.Add($"exec {Id} {from}->{to}");
        for (ulong n = from + 1; n <= to; n++) batch.Put(Schema.Meta, Key(Id, n), [1]);
        if (UnwindAtBlock is ulong at && from < at && to >= at)
        {
            UnwindAtBlock = null;
            return ValueTask.FromResult(new ExecOutput(new StageCheckpoint(to, ReadOnlyMemory<byte>.Empty), false, UnwindRequest));
        }
        return ValueTask.FromResult(new ExecOutput(new StageCheckpoint(to, ReadOnlyMemory<byte>.Empty), to == input.Target));
    }

    public ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        log.Add($"unwind {Id} {input.Checkpoint.BlockNumber}->{input.UnwindTo}");
        for (ulong n = input.UnwindTo + 1; n <= input.Checkpoint.BlockNumber; n++) batch.Delete(Schema.Meta, Key(Id, n));
        return ValueTask.FromResult(new StageCheckpoint(input.UnwindTo, ReadOnlyMemory<byte>.Empty));
    }
}
