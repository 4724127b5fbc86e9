using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Checks the shape of an account trie value, <c>rlp([nonce, balance, storage_root, code_hash])</c>, and
/// reads the fields a chunk decoder needs.</summary>
public static class AccountValue
{
    /// <summary>Reads the storage root and code hash, rejecting a malformed value.</summary>
    /// <exception cref="ProtocolViolationException"><see cref="ViolationReason.WrongType"/> or <see cref="ViolationReason.NonCanonical"/>.</exception>
    public static (Hash256 StorageRoot, Hash256 CodeHash) Read(ReadOnlySpan<byte> value)
    {
        if (value.Length > Limits.MaxAccountValueBytes) ProtocolViolationException.Throw(ViolationReason.WrongType, "account value too long");
        try
        {
            var outer = new RlpReader(value);
            RlpReader fields = outer.ReadList();
            outer.EnsureEnd();
            _ = fields.ReadUInt64();
            ReadOnlySpan<byte> balance = fields.ReadBytes();
            if (balance.Length > 32) ProtocolViolationException.Throw(ViolationReason.WrongType, "balance wider than 256 bits");
            if (balance.Length > 0 && balance[0] == 0) ProtocolViolationException.Throw(ViolationReason.NonCanonical, "balance with a leading zero");
            Hash256 storageRoot = fields.ReadHash(), codeHash = fields.ReadHash();
            fields.EnsureEnd();
            return (storageRoot, codeHash);
        }
        catch (RlpException error)
        {
            throw ProtocolViolationException.FromRlp("account value", error);
        }
    }

    /// <summary>Checks a storage trie value: the RLP string of a 1–32 byte word without leading zeros.</summary>
    /// <exception cref="ProtocolViolationException">Malformed slot value.</exception>
    public static void CheckSlotValue(ReadOnlySpan<byte> value)
    {
        if (value.Length > Limits.MaxSlotValueBytes) ProtocolViolationException.Throw(ViolationReason.WrongType, "slot value too long");
        try
        {
            var reader = new RlpReader(value);
            ReadOnlySpan<byte> word = reader.ReadBytes();
            reader.EnsureEnd();
            if (word.Length is 0 or > 32) ProtocolViolationException.Throw(ViolationReason.WrongType, "slot value must hold 1..32 bytes");
            if (word[0] == 0) ProtocolViolationException.Throw(ViolationReason.NonCanonical, "slot value with a leading zero");
        }
        catch (RlpException error)
        {
            throw ProtocolViolationException.FromRlp("slot value", error);
        }
    }
}
