using System.Buffers.Binary;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Enumeration;

/// <summary>Where a <see cref="LeafCursor"/> resumes: the next leaf it yields is the first with key ≥
/// <see cref="Next"/> (wrapping to the smallest key past 0xff…), and <see cref="Laps"/> counts how many
/// times it has wrapped. Independent of the root, so it survives a root change.</summary>
/// <remarks>Serialized as <see cref="EncodedLength"/> bytes: version 0x01, <c>Next</c> (32 bytes),
/// <c>Laps</c> (uint32 big-endian).</remarks>
public readonly record struct LeafCursorPosition(Hash256 Next, uint Laps)
{
    /// <summary>Length of the serialized form.</summary>
    public const int EncodedLength = 1 + Hash256.Length + sizeof(uint);

    private const byte Version = 1;

    /// <summary>Writes the <see cref="EncodedLength"/>-byte form.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        Next.CopyTo(destination[1..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(1 + Hash256.Length)..], Laps);
    }

    /// <summary>The serialized form as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Reads the serialized form; false for a wrong length or an unknown version.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out LeafCursorPosition position)
    {
        position = default;
        if (source.Length != EncodedLength || source[0] != Version) return false;
        position = new LeafCursorPosition(new Hash256(source.Slice(1, Hash256.Length)), BinaryPrimitives.ReadUInt32BigEndian(source[(1 + Hash256.Length)..]));
        return true;
    }
}
