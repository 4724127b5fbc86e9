using Mgr.Protocol.ForkIds;

namespace Mgr.Protocol.Tests.ForkIds;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Is_zero_for_empty_input()
    {
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Updates_incrementally_to_the_same_checksum()
    {
        byte[] data = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];

        uint incremental = Crc32.Update(Crc32.Compute(data.AsSpan(0, 123)), data.AsSpan(123));

        Assert.Equal(Crc32.Compute(data), incremental);
    }
}
