using System.Globalization;
using System.Numerics;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using RlpSize = Mgr.Trie.Rlp.Rlp;

namespace Mgr.Trie.Tests.Primitives;

public class UInt256Tests
{
    private static readonly BigInteger Modulus = BigInteger.One << 256;

    [Theory]
    [InlineData("0", "0x0")]
    [InlineData("1", "0x1")]
    [InlineData("255", "0xff")]
    [InlineData("18446744073709551615", "0xffffffffffffffff")]
    [InlineData("18446744073709551616", "0x10000000000000000")]
    [InlineData("10000000000000000000", "0x8ac7230489e80000")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Formats_and_parses_decimal_and_hex(string decimalText, string hexText)
    {
        UInt256 fromDecimal = UInt256.Parse(decimalText);
        UInt256 fromHex = UInt256.Parse(hexText);

        Assert.Equal(fromDecimal, fromHex);
        Assert.Equal(decimalText, fromDecimal.ToString());
        Assert.Equal(hexText, fromHex.ToHexString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1_000")]
    [InlineData("12a")]
    [InlineData("0xfg")]
    [InlineData("0x-1")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    [InlineData("0x10000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("999999999999999999999999999999999999999999999999999999999999999999999999999999999999")]
    public void Rejects_text_that_is_not_an_unsigned_256_bit_number(string text)
    {
        Assert.False(UInt256.TryParse(text, out _));
        Assert.Throws<FormatException>(() => UInt256.Parse(text));
    }

    [Fact]
    public void Accepts_hex_with_leading_zeros_and_upper_case()
    {
        Assert.Equal(new UInt256(0xABCDEF), UInt256.Parse("0X0000000000000000000000000000000000000000000000000000000000000000000000ABCdef"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Arithmetic_comparison_text_and_bytes_agree_with_big_integer(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            BigInteger a = RandomValue(random), b = RandomValue(random);
            UInt256 x = FromBig(a), y = FromBig(b);

            Assert.Equal(a.ToString(CultureInfo.InvariantCulture), x.ToString());
            Assert.Equal(x, UInt256.Parse(x.ToString()));
            Assert.Equal(x, UInt256.Parse(x.ToHexString()));
            Assert.Equal(a.CompareTo(b), x.CompareTo(y));
            Assert.Equal(a < b, x < y);
            Assert.Equal(a == b, x == y);
            Assert.Equal(a.IsZero ? [] : a.ToByteArray(isUnsigned: true, isBigEndian: true), x.ToMinimalBigEndianArray());
            Assert.Equal(a <= ulong.MaxValue, x.FitsInUInt64);

            BigInteger sum = a + b;
            if (sum < Modulus) Assert.Equal(FromBig(sum), x + y);
            else Assert.Throws<OverflowException>(() => x + y);
            Assert.Equal(sum < Modulus, UInt256.TryAdd(x, y, out _));

            BigInteger difference = a - b;
            if (difference >= 0) Assert.Equal(FromBig(difference), x - y);
            else Assert.Throws<OverflowException>(() => x - y);
            Assert.Equal(difference >= 0, UInt256.TrySubtract(x, y, out _));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Rlp_round_trips_and_measures_the_minimal_encoding(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            BigInteger a = RandomValue(random);
            UInt256 value = FromBig(a);
            byte[] minimal = a.IsZero ? [] : a.ToByteArray(isUnsigned: true, isBigEndian: true);
            byte[] expected = new byte[RlpSize.LengthOf(minimal)];
            new RlpWriter(expected).WriteBytes(minimal);

            byte[] encoded = new byte[RlpSize.LengthOf(value)];
            var writer = new RlpWriter(encoded);
            writer.Write(value);

            Assert.Equal(expected, encoded);
            Assert.Equal(encoded.Length, writer.Written);
            var reader = new RlpReader(encoded);
            Assert.Equal(value, reader.ReadUInt256());
            reader.EnsureEnd();
        }
    }

    [Fact]
    public void Rejects_an_rlp_integer_wider_than_32_bytes()
    {
        byte[] encoded = Convert.FromHexString("a1" + "01" + new string('0', 64));

        RlpException error = Assert.Throws<RlpException>(() => new RlpReader(encoded).ReadUInt256());

        Assert.Equal(RlpError.IntegerTooLarge, error.Reason);
    }

    [Fact]
    public void Narrowing_to_ulong_throws_when_the_value_does_not_fit()
    {
        UInt256 big = UInt256.Parse("18446744073709551616");

        Assert.Throws<OverflowException>(() => (ulong)big);
        Assert.Equal(ulong.MaxValue, (ulong)(big - UInt256.One));
    }

    [Fact]
    public void From_big_endian_accepts_leading_zeros_and_refuses_more_than_32_bytes()
    {
        Assert.Equal(new UInt256(0x0102), UInt256.FromBigEndian([0, 0, 1, 2]));
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian([]));
        Assert.Throws<ArgumentException>(() => UInt256.FromBigEndian(new byte[33]));
    }

    [Fact]
    public void Full_width_bytes_are_32_big_endian_bytes()
    {
        byte[] bytes = new byte[32];

        UInt256.Parse("0x0102").CopyTo(bytes);

        Assert.Equal(0x01, bytes[30]);
        Assert.Equal(0x02, bytes[31]);
        Assert.All(bytes[..30], b => Assert.Equal(0, b));
    }

    // Mixes small values, word-boundary values and full-width values so every carry path is hit.
    private static BigInteger RandomValue(Random random)
    {
        switch (random.Next(6))
        {
            case 0: return random.Next(0, 300);
            case 1: return (BigInteger.One << (64 * random.Next(1, 4))) - random.Next(0, 3);
            case 2: return Modulus - 1 - random.Next(0, 3);
            default:
                byte[] bytes = new byte[random.Next(1, 33)];
                random.NextBytes(bytes);
                return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
    }

    private static UInt256 FromBig(BigInteger value) => UInt256.FromBigEndian(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
