using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Node.EngineApi;

/// <summary>Collects the <c>blob_versioned_hashes</c> of a payload's blob transactions (EIP-4844 type 3), in
/// order, for engine_newPayloadV3's check against <c>expectedBlobVersionedHashes</c>.</summary>
public static class BlobVersionedHashes
{
    /// <summary>EIP-4844 transaction type.</summary>
    public const byte BlobTransactionType = 0x03;

    // Position of blob_versioned_hashes in [chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas,
    // gas_limit, to, value, data, access_list, max_fee_per_blob_gas, blob_versioned_hashes, y_parity, r, s].
    private const int HashesField = 10;

    /// <summary>Appends each blob transaction's hashes to <paramref name="into"/>.</summary>
    /// <returns>False when a blob transaction is not well-formed enough to read its hashes.</returns>
    public static bool TryCollect(IReadOnlyList<ReadOnlyMemory<byte>> transactions, List<Hash256> into)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(into);
        foreach (ReadOnlyMemory<byte> tx in transactions)
        {
            ReadOnlySpan<byte> bytes = tx.Span;
            if (bytes.IsEmpty || bytes[0] != BlobTransactionType) continue;
            try
            {
                var outer = new RlpReader(bytes[1..]);
                RlpReader fields = outer.ReadList();
                outer.EnsureEnd();
                for (int i = 0; i < HashesField; i++) fields.Skip();
                RlpReader hashes = fields.ReadList();
                while (!hashes.IsEnd) into.Add(hashes.ReadHash());
            }
            catch (RlpException)
            {
                return false;
            }
        }
        return true;
    }
}
