using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.State;

public class AccountTests
{
    [Fact]
    public void The_empty_account_encodes_as_two_empty_integers_and_the_empty_hashes()
    {
        byte[] encoded = Account.Empty.Encode();

        Assert.Equal("f8448080a0" + Hash256.EmptyTrieRoot.ToString()[2..] + "a0" + Hash256.EmptyKeccak.ToString()[2..], Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void Random_accounts_round_trip_and_measure_what_they_write()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var account = new Account((ulong)random.NextInt64() >> random.Next(64), RandomBalance(random), RandomHash(random), RandomHash(random));

            byte[] encoded = account.Encode();

            Assert.Equal(account.EncodedLength, encoded.Length);
            Assert.Equal(account, Account.Decode(encoded));
        }
    }

    [Fact]
    public void The_largest_account_fits_in_the_stated_maximum()
    {
        var account = new Account(ulong.MaxValue, UInt256.MaxValue, Hash256.MaxValue, Hash256.MaxValue);

        Assert.Equal(Account.MaxEncodedLength, account.Encode().Length);
    }

    [Fact]
    public void Code_hash_of_no_code_is_the_empty_keccak()
    {
        Assert.Equal(Hash256.EmptyKeccak, Account.CodeHashOf([]));
        Assert.False(Account.Empty.HasCode);
        Assert.False(Account.Empty.HasStorage);
    }

    [Fact]
    public void Rejects_a_balance_with_a_leading_zero()
    {
        byte[] encoded = Build(nonce: [0x80], balance: [0x82, 0x00, 0x01]);

        Assert.Equal(RlpError.NonCanonicalInteger, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    [Fact]
    public void Rejects_a_balance_wider_than_256_bits()
    {
        byte[] encoded = Build(nonce: [0x80], balance: [0xa1, 0x01, .. new byte[32]]);

        Assert.Equal(RlpError.IntegerTooLarge, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    [Fact]
    public void Rejects_a_nonce_wider_than_64_bits()
    {
        byte[] encoded = Build(nonce: [0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], balance: [0x80]);

        Assert.Equal(RlpError.IntegerTooLarge, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    [Fact]
    public void Rejects_a_fifth_item()
    {
        byte[] encoded = Build(nonce: [0x80], balance: [0x80], extra: [0x80]);

        Assert.Equal(RlpError.TrailingBytes, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    [Fact]
    public void Rejects_a_short_code_hash()
    {
        byte[] encoded = Build(nonce: [0x80], balance: [0x80], codeHash: [0x9f, .. new byte[31]]);

        Assert.Equal(RlpError.WrongLength, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    [Fact]
    public void Rejects_bytes_after_the_list()
    {
        byte[] encoded = [.. Account.Empty.Encode(), 0x01];

        Assert.Equal(RlpError.TrailingBytes, Assert.Throws<RlpException>(() => Account.Decode(encoded)).Reason);
    }

    private static byte[] Build(byte[] nonce, byte[] balance, byte[]? codeHash = null, byte[]? extra = null)
    {
        byte[] hash = [0xa0, .. Hash256.EmptyKeccak.ToArray()];
        byte[][] items = [nonce, balance, [0xa0, .. Hash256.EmptyTrieRoot.ToArray()], codeHash ?? hash, .. extra is null ? Array.Empty<byte[]>() : [extra]];
        int content = items.Sum(item => item.Length);
        var output = new byte[Mgr.Trie.Rlp.Rlp.LengthOfList(content)];
        var writer = new RlpWriter(output);
        writer.WriteListHeader(content);
        foreach (byte[] item in items) writer.WriteEncoded(item);
        return output;
    }

    private static UInt256 RandomBalance(Random random)
    {
        var bytes = new byte[random.Next(33)];
        random.NextBytes(bytes);
        return UInt256.FromBigEndian(bytes);
    }

    private static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
