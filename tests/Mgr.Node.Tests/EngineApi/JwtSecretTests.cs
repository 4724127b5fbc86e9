using Mgr.Node.EngineApi;

namespace Mgr.Node.Tests.EngineApi;

public sealed class JwtSecretTests
{
    private const string Hex = "f00dbabe0123456789abcdef0123456789abcdef0123456789abcdef0123cafe";

    [Theory]
    [InlineData(Hex)]
    [InlineData("0x" + Hex)]
    [InlineData("  0x" + Hex + "\n")]
    public void Parses_64_hex_digits_with_or_without_prefix(string text)
    {
        JwtSecret secret = JwtSecret.Parse(text);

        Span<byte> a = stackalloc byte[32], b = stackalloc byte[32];
        secret.Sign("x"u8, a);
        JwtSecret.FromBytes(Convert.FromHexString(Hex)).Sign("x"u8, b);
        Assert.True(a.SequenceEqual(b));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("zz" + "0dbabe0123456789abcdef0123456789abcdef0123456789abcdef0123cafe")]
    [InlineData("")]
    public void Rejects_text_that_is_not_a_256_bit_hex_key(string text)
    {
        Assert.Throws<JwtSecretException>(() => JwtSecret.Parse(text));
    }

    [Fact]
    public void Reports_a_missing_file_by_name()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "jwt.hex");

        var error = Assert.Throws<JwtSecretException>(() => JwtSecret.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_prints_the_key()
    {
        JwtSecret secret = JwtSecret.Parse(Hex);

        Assert.DoesNotContain("f00d", secret.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Saves_a_file_that_loads_back_to_the_same_key()
    {
        JwtSecret secret = JwtSecret.Generate();
        string path = Path.GetTempFileName();
        try
        {
            secret.Save(path);
            JwtSecret loaded = JwtSecret.Load(path);

            Span<byte> a = stackalloc byte[32], b = stackalloc byte[32];
            secret.Sign("m"u8, a);
            loaded.Sign("m"u8, b);
            Assert.True(a.SequenceEqual(b));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
