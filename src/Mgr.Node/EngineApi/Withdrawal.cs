using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Node.EngineApi;

/// <summary>A validator withdrawal (WithdrawalV1, shanghai.md); <see cref="Amount"/> in Gwei.</summary>
/// <remarks>Its RLP in the withdrawals trie is <c>[index, validatorIndex, address, amount]</c> (EIP-4895).</remarks>
public sealed record Withdrawal(ulong Index, ulong ValidatorIndex, Address Address, ulong Amount)
{
    /// <summary>The RLP list <c>[index, validatorIndex, address, amount]</c>.</summary>
    public byte[] Encode()
    {
        int content = Rlp.LengthOf(Index) + Rlp.LengthOf(ValidatorIndex) + Rlp.LengthOfHeader(Address.Length) + Address.Length
                    + Rlp.LengthOf(Amount);
        var bytes = new byte[Rlp.LengthOfList(content)];
        Span<byte> address = stackalloc byte[Address.Length];
        Address.CopyTo(address);
        scoped var writer = new RlpWriter(bytes);
        writer.WriteListHeader(content);
        writer.Write(Index);
        writer.Write(ValidatorIndex);
        writer.WriteBytes(address);
        writer.Write(Amount);
        return bytes;
    }
}
