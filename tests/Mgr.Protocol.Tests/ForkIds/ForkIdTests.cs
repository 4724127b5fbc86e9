using Mgr.Protocol.ForkIds;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.ForkIds;

public sealed class ForkIdTests
{
    // EIP-2124's RLP encoding vectors.
    [Theory]
    [InlineData(0u, 0UL, "c6840000000080")]
    [InlineData(0xdeadbeefu, 0xBADDCAFEUL, "ca84deadbeef84baddcafe")]
    [InlineData(uint.MaxValue, ulong.MaxValue, "ce84ffffffff88ffffffffffffffff")]
    public void Encodes_as_the_eip_vectors(uint hash, ulong next, string hex)
    {
        var id = new ForkId(hash, next);
        var bytes = new byte[id.EncodedLength()];
        var writer = new RlpWriter(bytes);

        id.WriteTo(ref writer);
        var reader = new RlpReader(Convert.FromHexString(hex));

        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
        Assert.Equal(id, ForkId.Read(ref reader));
    }
}
