using System.Buffers;
using System.IO.Pipelines;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Framing;

public sealed class FrameMemoryBudgetTests
{
    [Fact]
    public async Task Reservations_that_fit_are_granted_at_once_and_others_wait_in_order()
    {
        var budget = new FrameMemoryBudget(100);
        FrameMemoryLease first = await budget.ReserveAsync(60, CancellationToken.None);

        Task<FrameMemoryLease> second = budget.ReserveAsync(50, CancellationToken.None).AsTask();
        Task<FrameMemoryLease> third = budget.ReserveAsync(10, CancellationToken.None).AsTask();

        Assert.Equal(2, budget.Waiting);
        Assert.Equal(60, budget.ReservedBytes);
        first.Dispose();
        using FrameMemoryLease granted = await second;
        using FrameMemoryLease granted3 = await third;
        Assert.Equal(60, budget.ReservedBytes);
        Assert.True(budget.PeakReservedBytes <= budget.TotalBytes);
    }

    [Fact]
    public async Task A_reservation_larger_than_the_budget_is_cut_to_it_and_a_lease_releases_once()
    {
        var budget = new FrameMemoryBudget(100);

        FrameMemoryLease lease = await budget.ReserveAsync(1_000, CancellationToken.None);
        lease.Dispose();
        lease.Dispose();

        Assert.Equal(100, lease.Bytes);
        Assert.Equal(0, budget.ReservedBytes);
    }

    [Fact]
    public async Task A_cancelled_wait_takes_nothing()
    {
        var budget = new FrameMemoryBudget(100);
        FrameMemoryLease held = await budget.ReserveAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        Task<FrameMemoryLease> waiting = budget.ReserveAsync(10, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(0, budget.ReservedBytes);
    }

    [Fact]
    public async Task A_reader_buffers_a_large_frame_only_once_the_budget_has_room_for_it()
    {
        var budget = new FrameMemoryBudget(totalBytes: 8_000, largeFrameBytes: 1_000);
        byte[] code = new byte[2_000];
        new Random(1).NextBytes(code); // incompressible: the frame costs about 2 KB raw + 2 × 2 KB
        byte[] frame = FrameCodec.Encode(new ByteCodes(1, [code]));
        (FrameReader first, FrameReader second) = (ReaderOf(frame, budget), ReaderOf(frame, budget));

        Assert.NotNull(await first.ReadAsync(CancellationToken.None));
        FrameMemoryLease? lease = first.TakeLease();
        Task<Frame?> blocked = second.ReadAsync(CancellationToken.None).AsTask();
        while (budget.Waiting == 0 && !blocked.IsCompleted) await Task.Delay(10);

        Assert.NotNull(lease);
        Assert.Equal(1, budget.Waiting);
        lease!.Dispose();
        Assert.NotNull(await blocked);
        Assert.InRange(second.TakeLease()!.Bytes, 6_000, 8_000);
    }

    private static FrameReader ReaderOf(byte[] frame, FrameMemoryBudget budget)
    {
        var pipe = new Pipe();
        pipe.Writer.Write(frame);
        pipe.Writer.Complete();
        return new FrameReader(pipe.Reader, budget: budget);
    }
}
