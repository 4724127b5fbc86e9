namespace Mgr.Node.State;

/// <summary>Why a <see cref="StateDiff"/> encoding or construction was rejected.</summary>
public enum StateDiffError
{
    /// <summary>Not the RLP shape of a state diff (see the inner <see cref="Mgr.Trie.Rlp.RlpException"/>).</summary>
    MalformedRlp,
    /// <summary>An account change is neither [hash] (deletion) nor [hash, nonce, balance, codeHash].</summary>
    BadAccountChange,
    /// <summary>Accounts, storage accounts, slots or code are not in strictly ascending key order, or repeat.</summary>
    KeysNotAscending,
    /// <summary>An account has a storage entry with no slots.</summary>
    EmptySlotList,
    /// <summary>A deleted account also has storage changes in the same diff.</summary>
    StorageOfDeletedAccount,
    /// <summary>A code entry is empty (the empty code needs no entry).</summary>
    EmptyCode,
    /// <summary>The encoding is larger than <see cref="StateDiff.MaxEncodedBytes"/>.</summary>
    TooLarge,
}
