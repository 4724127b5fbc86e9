using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>A batch of additions to the sender's have-set for the epoch with boundary <see cref="EpochHash"/>
/// (§4.4), so Status need not be resent per chunk. Haves for another epoch than the sender's Status are ignored.</summary>
public sealed record Haves(Hash256 EpochHash, KeyRangeSet Accounts, IReadOnlyList<StorageHave> Storage) : IMessage
{
    public MessageCode Code => MessageCode.Haves;

    private int ContentLength() => 33 + Accounts.EncodedLength() + Rlp.LengthOfList(StorageHave.ContentOf(Storage));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(EpochHash);
        Accounts.WriteTo(ref writer);
        StorageHave.WriteList(ref writer, Storage);
    }

    /// <summary>Decodes a Haves payload.</summary>
    public static Haves Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(Haves), static (ref RlpReader fields, byte[] _) =>
    {
        Hash256 epoch = fields.ReadHash();
        KeyRangeSet accounts = KeyRangeSet.Read(ref fields);
        StorageHave[] storage = StorageHave.ReadList(ref fields);
        return new Haves(epoch, accounts, storage);
    });
}
