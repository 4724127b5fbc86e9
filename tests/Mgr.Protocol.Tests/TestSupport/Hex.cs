namespace Mgr.Protocol.Tests.TestSupport;

/// <summary>Hex literals for test vectors.</summary>
public static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);
}
