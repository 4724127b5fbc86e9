using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetByteCodesTests
{
    [Fact]
    public void Rejects_more_hashes_than_the_limit()
    {
        Hash256[] hashes = [.. Enumerable.Range(0, Limits.MaxCodeHashesPerRequest + 1).Select(i => new Hash256(0, 0, 0, (ulong)i))];
        byte[] payload = MessageVectorTests.Payload(new GetByteCodes(1, hashes, 1000));

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => GetByteCodes.Decode(payload));
    }

    [Fact]
    public void Rejects_a_hash_of_the_wrong_length()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(1), RlpBuild.List(RlpBuild.Str(new byte[20])), RlpBuild.U(1000));

        RlpBuild.Rejects(ViolationReason.WrongType, () => GetByteCodes.Decode(payload));
    }
}
