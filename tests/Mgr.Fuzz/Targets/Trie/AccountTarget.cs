using Mgr.Fuzz.Engine;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>The state types' decoders: Account.Decode and StorageSlot.DecodeValue on the same bytes. Oracle: an
/// accepted account or slot value re-encodes to the input. Documented failure: <see cref="RlpException"/>.
/// Budget: 4 KiB + 2 B per input byte (two exceptions, the oracle's re-encoding).</summary>
internal sealed class AccountTarget : FuzzTarget
{
    public override string Name => "account";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(4096, 2);

    public override IEnumerable<byte[]> Seeds() =>
    [
        Account.Empty.Encode(),
        new Account(7, UInt256.FromBigEndian([0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x00]), Mgr.Trie.Crypto.Keccak256.Compute([1]), Mgr.Trie.Crypto.Keccak256.Compute([2])).Encode(),
        new Account(ulong.MaxValue, UInt256.FromBigEndian(Enumerable.Repeat((byte)0xff, 32).ToArray()), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode(),
        [0x82, 0x01, 0x00], [0xa0, .. Enumerable.Repeat((byte)0xff, 32)],
    ];

    public override string Execute(byte[] input)
    {
        string verdict;
        try
        {
            Account account = Account.Decode(input);
            if (!account.Encode().AsSpan().SequenceEqual(input)) throw new FuzzOracleException("accepted account does not re-encode to its input");
            verdict = "account";
        }
        catch (RlpException error)
        {
            verdict = $"account-{error.Reason}";
        }
        UInt256 word = StorageSlot.DecodeValue(input);
        Span<byte> again = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        int length = StorageSlot.EncodeValue(word, again);
        if (!again[..length].SequenceEqual(input)) throw new FuzzOracleException("accepted slot value does not re-encode to its input");
        return verdict + "+slot";
    }

    public override string? Classify(Exception error) => error is RlpException rlp ? $"rlp:{rlp.Reason}" : null;
}
