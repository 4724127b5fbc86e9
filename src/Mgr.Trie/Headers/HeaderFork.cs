namespace Mgr.Trie.Headers;

/// <summary>Which field set a block header carries; each value is the number of RLP fields in that set.</summary>
/// <remarks>Fields are only ever appended, so the count identifies the set. Forks that add no header field
/// (Paris, Osaka, …) share their predecessor's set.</remarks>
public enum HeaderFork
{
    /// <summary>Frontier to Berlin: the 15 original fields.</summary>
    PreLondon = 15,
    /// <summary>London (EIP-1559): adds baseFeePerGas.</summary>
    London = 16,
    /// <summary>Shanghai (EIP-4895): adds withdrawalsRoot.</summary>
    Shanghai = 17,
    /// <summary>Cancun (EIP-4844, EIP-4788): adds blobGasUsed, excessBlobGas, parentBeaconBlockRoot.</summary>
    Cancun = 20,
    /// <summary>Prague (EIP-7685): adds requestsHash.</summary>
    Prague = 21,
}
