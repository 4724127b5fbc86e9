using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>A provable chunk (§4.6): every leaf under the chunk's prefix at <see cref="StateRoot"/> — accounts with
/// inline storage for an account chunk, slots for a storage chunk — and the proof nodes linking the prefix to the
/// root (spec/trie.md). Pushed with <see cref="RequestId"/> 0 or sent in reply to <see cref="GetStateData"/>.</summary>
/// <remarks>Decoding checks structure, order and prefix bounds; whether the proof verifies is the trie's job. A
/// decoded message's byte fields are slices of its own copy of the payload.</remarks>
public sealed record StateData : IResponse
{
    public StateData(ulong requestId, Hash256 epochHash, Hash256 stateRoot, ChunkId chunk,
                     IReadOnlyList<AccountEntry> accounts, IReadOnlyList<SlotEntry> slots, IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        if (chunk.IsStorage ? accounts.Count > 0 : slots.Count > 0)
            throw new ArgumentException("Account chunks carry accounts, storage chunks carry slots.", nameof(chunk));
        RequestId = requestId;
        EpochHash = epochHash;
        StateRoot = stateRoot;
        Chunk = chunk;
        Accounts = accounts;
        Slots = slots;
        Proof = proof;
    }

    public ulong RequestId { get; init; }
    public Hash256 EpochHash { get; init; }
    public Hash256 StateRoot { get; init; }
    public ChunkId Chunk { get; init; }

    /// <summary>The account leaves of an account chunk (empty for a storage chunk).</summary>
    public IReadOnlyList<AccountEntry> Accounts { get; init; }

    /// <summary>The slot leaves of a storage chunk (empty for an account chunk).</summary>
    public IReadOnlyList<SlotEntry> Slots { get; init; }

    /// <summary>RLP-encoded trie nodes proving the chunk under <see cref="StateRoot"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Proof { get; init; }

    public MessageCode Code => MessageCode.StateData;

    private int EntriesLength() => Rlp.LengthOfList(Chunk.IsStorage ? ChunkEntries.ContentOf(ToSpan(Slots)) : ChunkEntries.ContentOf(Accounts));

    private int ContentLength() => Rlp.LengthOf(RequestId) + 33 + 33 + Chunk.EncodedLength() + EntriesLength() + Rlp.LengthOfList(RlpFields.ContentOf(Proof));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.Write(EpochHash);
        writer.Write(StateRoot);
        Chunk.WriteTo(ref writer);
        if (Chunk.IsStorage) ChunkEntries.Write(ref writer, ToSpan(Slots));
        else ChunkEntries.Write(ref writer, Accounts);
        RlpFields.WriteList(ref writer, Proof);
    }

    /// <summary>Decodes a StateData payload.</summary>
    public static StateData Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(StateData), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = fields.ReadUInt64();
        Hash256 epoch = fields.ReadHash(), root = fields.ReadHash();
        ChunkId chunk = ChunkId.Read(ref fields);
        AccountEntry[] accounts = chunk.IsStorage ? [] : ChunkEntries.ReadAccounts(ref fields, owner, chunk, isDiff: false);
        SlotEntry[] slots = chunk.IsStorage ? ChunkEntries.ReadSlots(ref fields, owner, chunk, isDiff: false) : [];
        ReadOnlyMemory<byte>[] proof = ProofNodes.Read(ref fields, owner);
        return new StateData(id, epoch, root, chunk, accounts, slots, proof);
    });

    internal static ReadOnlySpan<SlotEntry> ToSpan(IReadOnlyList<SlotEntry> slots) => slots is SlotEntry[] array ? array : [.. slots];
}
