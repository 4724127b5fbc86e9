using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Every leaf under a chunk's prefix that differs between <see cref="FromRoot"/> and <see cref="ToRoot"/>
/// (empty value = deleted), plus the proof of the prefix under <see cref="ToRoot"/> (§4.7). The receiver applies
/// the changes to the leaves it holds at FromRoot and accepts only if the rebuilt subtree's reference equals the
/// proven one — which also proves that no change was left out.</summary>
public sealed record ChunkDiff : IResponse
{
    public ChunkDiff(ulong requestId, ChunkId chunk, Hash256 fromRoot, Hash256 toRoot,
                     IReadOnlyList<AccountEntry> accounts, IReadOnlyList<SlotEntry> slots, IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        if (chunk.IsStorage ? accounts.Count > 0 : slots.Count > 0)
            throw new ArgumentException("Account chunks carry accounts, storage chunks carry slots.", nameof(chunk));
        RequestId = requestId;
        Chunk = chunk;
        FromRoot = fromRoot;
        ToRoot = toRoot;
        Accounts = accounts;
        Slots = slots;
        Proof = proof;
    }

    public ulong RequestId { get; init; }
    public ChunkId Chunk { get; init; }
    public Hash256 FromRoot { get; init; }
    public Hash256 ToRoot { get; init; }

    /// <summary>Changed accounts of an account chunk (empty value = deleted).</summary>
    public IReadOnlyList<AccountEntry> Accounts { get; init; }

    /// <summary>Changed slots of a storage chunk (empty value = deleted).</summary>
    public IReadOnlyList<SlotEntry> Slots { get; init; }

    /// <summary>RLP-encoded trie nodes proving the prefix under <see cref="ToRoot"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Proof { get; init; }

    public MessageCode Code => MessageCode.ChunkDiff;

    private int EntriesLength() => Rlp.LengthOfList(Chunk.IsStorage ? ChunkEntries.ContentOf(StateData.ToSpan(Slots)) : ChunkEntries.ContentOf(Accounts));

    private int ContentLength() => Rlp.LengthOf(RequestId) + Chunk.EncodedLength() + 33 + 33 + EntriesLength() + Rlp.LengthOfList(RlpFields.ContentOf(Proof));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        Chunk.WriteTo(ref writer);
        writer.Write(FromRoot);
        writer.Write(ToRoot);
        if (Chunk.IsStorage) ChunkEntries.Write(ref writer, StateData.ToSpan(Slots));
        else ChunkEntries.Write(ref writer, Accounts);
        RlpFields.WriteList(ref writer, Proof);
    }

    /// <summary>Decodes a ChunkDiff payload.</summary>
    public static ChunkDiff Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(ChunkDiff), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        ChunkId chunk = ChunkId.Read(ref fields);
        Hash256 fromRoot = fields.ReadHash(), toRoot = fields.ReadHash();
        AccountEntry[] accounts = chunk.IsStorage ? [] : ChunkEntries.ReadAccounts(ref fields, owner, chunk, isDiff: true);
        SlotEntry[] slots = chunk.IsStorage ? ChunkEntries.ReadSlots(ref fields, owner, chunk, isDiff: true) : [];
        ReadOnlyMemory<byte>[] proof = ProofNodes.Read(ref fields, owner);
        return new ChunkDiff(id, chunk, fromRoot, toRoot, accounts, slots, proof);
    });
}
