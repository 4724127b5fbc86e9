using Mgr.Node.Headers;
using Mgr.Protocol.Identity;

namespace Mgr.Bench.Headers;

/// <summary>An honest peer serving header RLPs from memory, answering at once.</summary>
public sealed class InMemoryHeaderPeer(byte id, byte[][] encoded) : IHeaderPeer
{
    public PeerId Id { get; } = PeerId.FromPublicKey(PublicKey.Create(KeyType.Ed25519, [id, .. new byte[31]]));

    public ulong ClaimedHead => (ulong)encoded.Length - 1;

    public Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetBlockHeadersAsync(HeaderQuery query, CancellationToken cancellation)
    {
        var answer = new List<ReadOnlyMemory<byte>>(query.Amount);
        long number = (long)query.OriginNumber, step = (query.Skip + 1L) * (query.Reverse ? -1 : 1);
        for (int i = 0; i < query.Amount && number >= 0 && number < encoded.Length; i++, number += step) answer.Add(encoded[number]);
        return Task.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>(answer);
    }
}
