using System.Buffers;

namespace Mgr.Node.Storage;

/// <summary>Reads of values whose size the caller does not know in advance.</summary>
public static class KeyValueReaderExtensions
{
    private const int FirstTryBytes = 1024;

    /// <summary>Appends the value of <paramref name="key"/> to <paramref name="destination"/>; false if absent.</summary>
    public static bool TryGet(this IKeyValueReader reader, StoreColumn column, ReadOnlySpan<byte> key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> span = destination.GetSpan(FirstTryBytes);
        if (!reader.TryGet(column, key, span, out int length)) return false;
        if (length > span.Length)
        {
            span = destination.GetSpan(length);
            // The value may have changed between the two reads; loop until it fits.
            while (true)
            {
                if (!reader.TryGet(column, key, span, out length)) return false;
                if (length <= span.Length) break;
                span = destination.GetSpan(length);
            }
        }
        destination.Advance(length);
        return true;
    }

    /// <summary>The value of <paramref name="key"/> as a new array, or null if absent.</summary>
    public static byte[]? Get(this IKeyValueReader reader, StoreColumn column, ReadOnlySpan<byte> key)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return reader.TryGet(column, key, buffer) ? buffer.WrittenSpan.ToArray() : null;
    }
}
