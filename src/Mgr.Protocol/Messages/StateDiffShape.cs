using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The strict check of a state diff's encoding <c>[accounts, storage, code]</c> (§4.11): every rule the node's
/// <c>StateDiff.Decode</c> applies, as protocol violations, so a decoded <see cref="StateDiff"/> message always holds a
/// diff the node can decode. Allocates only the list of deleted accounts (bounded by the input).</summary>
internal static class StateDiffShape
{
    /// <summary>Checks <paramref name="encoded"/>, the diff's complete RLP item.</summary>
    /// <exception cref="ProtocolViolationException">On the first broken rule.</exception>
    /// <exception cref="RlpException">On malformed RLP (the message decoder translates it).</exception>
    public static void Check(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > Limits.MaxStateDiffBytes)
            ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"a state diff of {encoded.Length} bytes exceeds {Limits.MaxStateDiffBytes}");
        var outer = new RlpReader(encoded);
        RlpReader body = outer.ReadList();
        outer.EnsureEnd();
        List<Hash256> deleted = CheckAccounts(body.ReadList());
        CheckStorage(body.ReadList(), deleted);
        CheckCode(body.ReadList());
        body.EnsureEnd();
    }

    // Entries [hash] (deletion) or [hash, nonce, balance, codeHash]; returns the deleted accounts in ascending order.
    private static List<Hash256> CheckAccounts(RlpReader accounts)
    {
        var deleted = new List<Hash256>();
        Hash256? previous = null;
        while (!accounts.IsEnd)
        {
            RlpReader entry = accounts.ReadList();
            Hash256 key = entry.ReadHash();
            Ascending(ref previous, key, "account changes");
            if (entry.IsEnd)
            {
                deleted.Add(key);
                continue;
            }
            entry.ReadUInt64();
            entry.ReadUInt256();
            entry.ReadHash();
            if (!entry.IsEnd) ProtocolViolationException.Throw(ViolationReason.WrongType, $"account change {key} has more than four items");
        }
        return deleted;
    }

    private static void CheckStorage(RlpReader storage, List<Hash256> deleted)
    {
        Hash256? previous = null;
        int nextDeleted = 0;
        while (!storage.IsEnd)
        {
            RlpReader entry = storage.ReadList();
            Hash256 account = entry.ReadHash();
            Ascending(ref previous, account, "storage accounts");
            while (nextDeleted < deleted.Count && deleted[nextDeleted] < account) nextDeleted++;
            if (nextDeleted < deleted.Count && deleted[nextDeleted] == account)
                ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, $"account {account} is deleted and also has storage changes");
            RlpReader slots = entry.ReadList();
            entry.EnsureEnd();
            if (slots.IsEnd) ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, $"storage of {account} has no slots");
            Hash256? previousSlot = null;
            while (!slots.IsEnd)
            {
                RlpReader slot = slots.ReadList();
                Ascending(ref previousSlot, slot.ReadHash(), "slots");
                slot.ReadUInt256();
                slot.EnsureEnd();
            }
        }
    }

    private static void CheckCode(RlpReader code)
    {
        Hash256? previous = null;
        while (!code.IsEnd)
        {
            ReadOnlySpan<byte> bytes = code.ReadBytes();
            if (bytes.IsEmpty) ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, "an empty code entry");
            if (bytes.Length > Limits.MaxCodeBytes) ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"code of {bytes.Length} bytes");
            Ascending(ref previous, Keccak256.Compute(bytes), "code hashes");
        }
    }

    private static void Ascending(ref Hash256? previous, Hash256 key, string what)
    {
        if (previous is { } before && key <= before) ProtocolViolationException.Throw(ViolationReason.UnsortedKeys, $"{what}: {key} is not after {before}");
        previous = key;
    }
}
