using System.Buffers;
using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Headers;

/// <summary>Answers GetBlockHeaders from the store (MGR protocol §4.9): canonical headers from the origin (hash or
/// number), every <c>skip + 1</c>-th, toward genesis when reversed, copied verbatim.</summary>
/// <remarks>A pure function of (store snapshot, request): the protocol handler decodes, calls it, encodes.
/// Stops at the first missing header, at <see cref="Limits.MaxHeadersPerRequest"/> headers and at
/// <see cref="Limits.MaxResponseBytes"/> bytes; an unknown origin gives an empty answer (valid per the spec).</remarks>
public static class HeaderServer
{
    /// <summary>The answer to <paramref name="request"/> from <paramref name="store"/>.</summary>
    public static BlockHeaders Serve(IKeyValueReader store, GetBlockHeaders request)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var headers = new List<ReadOnlyMemory<byte>>();
        ulong number = request.OriginNumber;
        if (request.OriginHash is { } origin)
        {
            if (!HeaderStore.TryReadNumber(store, origin, out number)) return new BlockHeaders(request.RequestId, headers);
            if (!HeaderStore.TryReadCanonical(store, number, out Hash256 canonical) || canonical != origin) return new BlockHeaders(request.RequestId, headers);
        }
        ulong amount = Math.Min(request.Amount, (ulong)Limits.MaxHeadersPerRequest);
        ulong step = request.Skip == ulong.MaxValue ? ulong.MaxValue : request.Skip + 1;
        long bytes = 0;
        var rlp = new ArrayBufferWriter<byte>(1024);
        for (ulong i = 0; i < amount; i++)
        {
            if (!HeaderStore.TryReadCanonical(store, number, out Hash256 hash)) break;
            rlp.ResetWrittenCount();
            if (!HeaderStore.TryRead(store, number, hash, rlp)) break;
            if (bytes + rlp.WrittenCount > Limits.MaxResponseBytes && headers.Count > 0) break;
            headers.Add(rlp.WrittenSpan.ToArray());
            bytes += rlp.WrittenCount;
            if (request.Reverse)
            {
                if (number < step) break;
                number -= step;
            }
            else
            {
                if (number > ulong.MaxValue - step) break;
                number += step;
            }
        }
        return new BlockHeaders(request.RequestId, headers);
    }
}
