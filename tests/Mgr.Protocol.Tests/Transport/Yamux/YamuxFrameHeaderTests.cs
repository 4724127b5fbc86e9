using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Yamux;

public sealed class YamuxFrameHeaderTests
{
    [Fact]
    public void Encodes_fields_big_endian_in_spec_order()
    {
        var header = new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn | YamuxFlags.Fin, 0x01020304, 0x0A0B0C0D);
        var bytes = new byte[YamuxFrameHeader.Size];

        header.WriteTo(bytes);

        Assert.Equal(new byte[] { 0, 1, 0, 5, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D }, bytes);
    }

    [Theory]
    [InlineData(YamuxFrameType.Data, YamuxFlags.None, 1u, 0u)]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 2u, 262144u)]
    [InlineData(YamuxFrameType.Ping, YamuxFlags.Syn, 0u, uint.MaxValue)]
    [InlineData(YamuxFrameType.GoAway, YamuxFlags.None, 0u, 2u)]
    [InlineData(YamuxFrameType.Data, YamuxFlags.Rst | YamuxFlags.Fin, uint.MaxValue, 7u)]
    public void Round_trips_every_field(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length)
    {
        var header = new YamuxFrameHeader(type, flags, streamId, length);
        var bytes = new byte[YamuxFrameHeader.Size];

        header.WriteTo(bytes);

        Assert.Equal(header, YamuxFrameHeader.Read(bytes));
    }

    [Fact]
    public void Rejects_a_version_other_than_zero()
    {
        byte[] bytes = RawYamuxPeer.Header(version: 1, type: 0, flags: 0, streamId: 1, length: 0);

        var error = Assert.Throws<YamuxException>(() => YamuxFrameHeader.Read(bytes));

        Assert.Equal(YamuxError.UnsupportedVersion, error.Reason);
    }

    [Fact]
    public void Rejects_an_unknown_frame_type()
    {
        byte[] bytes = RawYamuxPeer.Header(version: 0, type: 4, flags: 0, streamId: 1, length: 0);

        var error = Assert.Throws<YamuxException>(() => YamuxFrameHeader.Read(bytes));

        Assert.Equal(YamuxError.UnknownFrameType, error.Reason);
    }
}
