using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>Builds the execution block header an <see cref="ExecutionPayload"/> stands for (paris.md
/// newPayload rule 2: EIP-3675 constants, EIP-4399 prevRandao, Shanghai and Cancun fields), so its hash can be
/// checked against the payload's <c>blockHash</c>.</summary>
/// <remarks>transactionsRoot and withdrawalsRoot are computed from the payload's lists; receiptsRoot, logsBloom
/// and stateRoot are taken as given (only execution could check them).</remarks>
public static class PayloadHeader
{
    /// <summary>The Cancun header of <paramref name="payload"/> under <paramref name="parentBeaconBlockRoot"/>.</summary>
    public static BlockHeader Build(ExecutionPayload payload, Hash256 parentBeaconBlockRoot)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var withdrawals = new ReadOnlyMemory<byte>[payload.Withdrawals.Count];
        for (int i = 0; i < withdrawals.Length; i++) withdrawals[i] = payload.Withdrawals[i].Encode();
        return new BlockHeader
        {
            ParentHash = payload.ParentHash,
            OmmersHash = BlockHeader.EmptyOmmersHash,
            Coinbase = payload.FeeRecipient,
            StateRoot = payload.StateRoot,
            TransactionsRoot = OrderedTrieRoot.Compute(payload.Transactions),
            ReceiptsRoot = payload.ReceiptsRoot,
            LogsBloom = payload.LogsBloom,
            Difficulty = UInt256.Zero,
            Number = payload.BlockNumber,
            GasLimit = payload.GasLimit,
            GasUsed = payload.GasUsed,
            Timestamp = payload.Timestamp,
            ExtraData = payload.ExtraData,
            MixHash = payload.PrevRandao,
            Nonce = 0,
            BaseFeePerGas = payload.BaseFeePerGas,
            WithdrawalsRoot = OrderedTrieRoot.Compute(withdrawals),
            BlobGasUsed = payload.BlobGasUsed,
            ExcessBlobGas = payload.ExcessBlobGas,
            ParentBeaconBlockRoot = parentBeaconBlockRoot,
        };
    }
}
