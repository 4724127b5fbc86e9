using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.State;

public class StorageSlotTests
{
    [Fact]
    public void The_key_of_slot_zero_is_the_keccak_of_32_zero_bytes()
    {
        Assert.Equal(Hash256.Parse("0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563"), StorageSlot.KeyOf(Hash256.Zero));
    }

    [Fact]
    public void A_zero_word_encodes_to_nothing_because_it_is_absent()
    {
        Span<byte> buffer = stackalloc byte[StorageSlot.MaxEncodedValueLength];

        Assert.Equal(0, StorageSlot.EncodeValue(UInt256.Zero, buffer));
    }

    [Theory]
    [InlineData("0x1", "01")]
    [InlineData("0x7f", "7f")]
    [InlineData("0x80", "8180")]
    [InlineData("0x0102", "820102")]
    [InlineData("0xff00000000000000000000000000000000000000000000000000000000000000", "a0ff00000000000000000000000000000000000000000000000000000000000000")]
    public void Encodes_a_word_as_the_rlp_string_of_its_trimmed_bytes(string word, string expectedHex)
    {
        Span<byte> buffer = stackalloc byte[StorageSlot.MaxEncodedValueLength];

        int length = StorageSlot.EncodeValue(UInt256.Parse(word), buffer);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(buffer[..length]));
        Assert.Equal(UInt256.Parse(word), StorageSlot.DecodeValue(buffer[..length]));
    }

    [Theory]
    [InlineData("80", RlpError.NonCanonicalInteger)]
    [InlineData("820001", RlpError.NonCanonicalInteger)]
    [InlineData("a1010000000000000000000000000000000000000000000000000000000000000000", RlpError.IntegerTooLarge)]
    [InlineData("0101", RlpError.TrailingBytes)]
    [InlineData("c101", RlpError.ExpectedString)]
    [InlineData("8101", RlpError.NonCanonicalSingleByte)]
    public void Rejects_a_value_a_storage_trie_cannot_hold(string encodedHex, RlpError reason)
    {
        var error = Assert.Throws<RlpException>(() => StorageSlot.DecodeValue(Convert.FromHexString(encodedHex)));

        Assert.Equal(reason, error.Reason);
    }
}
