namespace Mgr.Protocol.ForkIds;

/// <summary>CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320, initial and final XOR 0xFFFFFFFF), as
/// EIP-2124 requires; table-driven, one byte per step. Incremental: pass the previous checksum to <see cref="Update"/>.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>Checksum of the earlier input (whose checksum is <paramref name="checksum"/>) followed by <paramref name="data"/>.</summary>
    public static uint Update(uint checksum, ReadOnlySpan<byte> data)
    {
        uint crc = ~checksum;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
