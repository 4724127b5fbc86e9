using System.Buffers.Binary;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The 12-byte Yamux frame header: version (0), type, flags, stream id and length, big-endian.</summary>
/// <remarks>The meaning of <see cref="Length"/> depends on the type: payload length (data), window delta
/// (window update), opaque value (ping) or error code (go-away).</remarks>
public readonly record struct YamuxFrameHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    /// <summary>Encoded size of a header.</summary>
    public const int Size = 12;

    /// <summary>The only protocol version defined.</summary>
    public const byte Version = 0;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..Size];
        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>Decodes a header from the first <see cref="Size"/> bytes of <paramref name="source"/>.</summary>
    /// <exception cref="YamuxException">With <see cref="YamuxError.UnsupportedVersion"/> or
    /// <see cref="YamuxError.UnknownFrameType"/>.</exception>
    public static YamuxFrameHeader Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        if (source[0] != Version) YamuxException.Throw(YamuxError.UnsupportedVersion, $"Frame header has version {source[0]}.");
        byte type = source[1];
        if (type > (byte)YamuxFrameType.GoAway) YamuxException.Throw(YamuxError.UnknownFrameType, $"Frame header has unknown type {type}.");
        return new YamuxFrameHeader(
            (YamuxFrameType)type,
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }
}
