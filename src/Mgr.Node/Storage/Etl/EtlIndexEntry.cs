using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mgr.Node.Storage.Etl;

/// <summary>Sort index slot of one collected entry: the first 8 key bytes as a big-endian number (zero-padded, so
/// comparing prefixes agrees with byte order whenever they differ) and the record's offset in the arena.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct EtlIndexEntry(ulong Prefix, int Offset)
{
    public const int Size = 12;

    public static ulong PrefixOf(ReadOnlySpan<byte> key)
    {
        if (key.Length >= 8) return BinaryPrimitives.ReadUInt64BigEndian(key);
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        key.CopyTo(padded);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }
}
