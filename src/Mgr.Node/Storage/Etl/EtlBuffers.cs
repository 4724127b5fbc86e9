using System.Buffers;

namespace Mgr.Node.Storage.Etl;

/// <summary>Rents and returns the ETL's pooled buffers and accounts for every byte it holds, so memory use is
/// measured, not assumed. Single-threaded, like the collector that owns it.</summary>
internal sealed class EtlBuffers
{
    public long HeldBytes { get; private set; }

    public long PeakHeldBytes { get; private set; }

    public byte[] RentBytes(int minimumLength)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(minimumLength);
        Account(array.Length);
        return array;
    }

    public EtlIndexEntry[] RentIndex(int minimumLength)
    {
        EtlIndexEntry[] array = ArrayPool<EtlIndexEntry>.Shared.Rent(minimumLength);
        Account((long)array.Length * EtlIndexEntry.Size);
        return array;
    }

    public void Return(byte[]? array)
    {
        if (array is null) return;
        HeldBytes -= array.Length;
        ArrayPool<byte>.Shared.Return(array);
    }

    public void Return(EtlIndexEntry[]? array)
    {
        if (array is null) return;
        HeldBytes -= (long)array.Length * EtlIndexEntry.Size;
        ArrayPool<EtlIndexEntry>.Shared.Return(array);
    }

    private void Account(long bytes)
    {
        HeldBytes += bytes;
        if (HeldBytes > PeakHeldBytes) PeakHeldBytes = HeldBytes;
    }
}
