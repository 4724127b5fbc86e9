using System.Buffers;
using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using WireStateDiff = Mgr.Protocol.Messages.StateDiff;

namespace Mgr.Node.Follow;

/// <summary>Answers GetStateDiff (spec/mgr-protocol.md §4.11): a pure function of (store, optional in-memory layers,
/// request) → response, testable without sockets. The diff of exactly the named block (hash and number) is sent as
/// stored; otherwise <see cref="Unavailable"/>: <see cref="UnavailableReason.DiffWindowPassed"/> below the oldest kept
/// diff, <see cref="UnavailableReason.UnknownEpoch"/> for a block not held, <see cref="UnavailableReason.TooLarge"/>
/// above <see cref="Limits.MaxStateDiffBytes"/>.</summary>
public static class StateDiffServer
{
    /// <summary>The response to <paramref name="request"/>. <paramref name="layerDiff"/>, when given, is asked first for
    /// blocks held in memory (e.g. LayerTree.TryGetLayerDiff); it must be safe on the calling thread.</summary>
    public static IResponse Serve(IKeyValueReader store, GetStateDiff request, LayerDiffLookup? layerDiff = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        (Hash256 hash, ulong number) = (request.Block.Hash, request.Block.Number);
        if (layerDiff is not null && layerDiff(hash, out ulong heldNumber, out ReadOnlyMemory<byte> held) && heldNumber == number)
            return Answer(request, held);
        var buffer = new ArrayBufferWriter<byte>();
        if (StateDiffStore.TryRead(store, number, hash, buffer)) return Answer(request, buffer.WrittenMemory);
        return StateDiffStore.LowestNumber(store) is { } lowest && number < lowest
            ? new Unavailable(request.RequestId, UnavailableReason.DiffWindowPassed)
            : new Unavailable(request.RequestId, UnavailableReason.UnknownEpoch);
    }

    /// <summary>Looks up the encoded diff of a block held in memory.</summary>
    public delegate bool LayerDiffLookup(Hash256 block, out ulong number, out ReadOnlyMemory<byte> encodedDiff);

    private static IResponse Answer(GetStateDiff request, ReadOnlyMemory<byte> diff) =>
        diff.Length > Limits.MaxStateDiffBytes
            ? new Unavailable(request.RequestId, UnavailableReason.TooLarge)
            : new WireStateDiff(request.RequestId, request.Block, diff);
}
