using System.Collections.Concurrent;
using Mgr.Node.Headers;
using Mgr.Protocol.Identity;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Headers;

/// <summary>A peer serving headers from an in-memory chain. <see cref="OnGetBlockHeaders"/> is the one function to
/// swap to make it lie; every query is recorded.</summary>
public sealed class FakeHeaderPeer : IHeaderPeer
{
    private readonly byte[][] _encoded;

    public FakeHeaderPeer(byte id, BlockHeader[] chain, byte[][]? encoded = null)
    {
        var key = new byte[32];
        key[0] = id;
        Id = PeerId.FromPublicKey(PublicKey.Create(KeyType.Ed25519, key));
        Chain = chain;
        _encoded = encoded ?? Encode(chain);
        ClaimedHead = (ulong)chain.Length - 1;
        OnGetBlockHeaders = Honest;
    }

    public PeerId Id { get; }

    public ulong ClaimedHead { get; set; }

    public BlockHeader[] Chain { get; }

    public Func<HeaderQuery, IReadOnlyList<ReadOnlyMemory<byte>>> OnGetBlockHeaders { get; set; }

    public ConcurrentQueue<HeaderQuery> Queries { get; } = new();

    /// <summary>Called before each answer (tests use it to cancel a sync midway).</summary>
    public Action<HeaderQuery>? BeforeAnswer { get; set; }

    public static byte[][] Encode(BlockHeader[] chain) => [.. chain.Select(h => h.Encode())];

    public IReadOnlyList<ReadOnlyMemory<byte>> Honest(HeaderQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var answer = new List<ReadOnlyMemory<byte>>(query.Amount);
        long number = (long)query.OriginNumber;
        if (query.OriginHash is { } hash)
        {
            int at = Array.FindIndex(Chain, h => h.Hash == hash);
            if (at < 0) return answer;
            number = at;
        }
        long step = (query.Skip + 1L) * (query.Reverse ? -1 : 1);
        for (int i = 0; i < query.Amount && number >= 0 && number < _encoded.Length; i++, number += step) answer.Add(_encoded[number]);
        return answer;
    }

    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetBlockHeadersAsync(HeaderQuery query, CancellationToken cancellation)
    {
        await Task.Yield();
        cancellation.ThrowIfCancellationRequested();
        Queries.Enqueue(query);
        BeforeAnswer?.Invoke(query);
        return OnGetBlockHeaders(query);
    }
}
