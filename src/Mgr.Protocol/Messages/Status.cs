using Mgr.Protocol.Epochs;
using Mgr.Protocol.ForkIds;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The first message of a session, and again on a new epoch, role or depth (spec/mgr-protocol.md §4.2):
/// chain identity (network, genesis, fork id), head and finalized blocks, role, the epoch and chunk depth in use,
/// and the sender's have-set for that epoch. Replaces any earlier Status from the same peer.</summary>
public sealed record Status(
    ulong Version,
    ulong NetworkId,
    Hash256 GenesisHash,
    ForkId ForkId,
    BlockRef Head,
    BlockRef Finalized,
    Role Role,
    Epoch? Epoch,
    KeyRangeSet HaveAccounts,
    IReadOnlyList<StorageHave> HaveStorage) : IMessage
{
    public MessageCode Code => MessageCode.Status;

    private int ContentLength() =>
        Rlp.LengthOf(Version) + Rlp.LengthOf(NetworkId) + 33 + ForkId.EncodedLength() + Head.EncodedLength()
        + Finalized.EncodedLength() + Rlp.LengthOf((ulong)Role) + Epochs.Epoch.EncodedLength(Epoch)
        + HaveAccounts.EncodedLength() + Rlp.LengthOfList(StorageHave.ContentOf(HaveStorage));

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(Version);
        writer.Write(NetworkId);
        writer.Write(GenesisHash);
        ForkId.WriteTo(ref writer);
        Head.WriteTo(ref writer);
        Finalized.WriteTo(ref writer);
        writer.Write((ulong)Role);
        Epochs.Epoch.Write(ref writer, Epoch);
        HaveAccounts.WriteTo(ref writer);
        StorageHave.WriteList(ref writer, HaveStorage);
    }

    /// <summary>Decodes a Status payload.</summary>
    /// <exception cref="ProtocolViolationException">Malformed, an unknown role, or a seeder or have-sets without an epoch.</exception>
    public static Status Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(Status), static (ref RlpReader fields, byte[] _) =>
    {
        ulong version = fields.ReadUInt64(), networkId = fields.ReadUInt64();
        Hash256 genesis = fields.ReadHash();
        ForkId forkId = ForkId.Read(ref fields);
        BlockRef head = BlockRef.Read(ref fields), finalized = BlockRef.Read(ref fields);
        ulong role = fields.ReadUInt64();
        if (role > (ulong)Role.Seeder) ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, $"unknown role {role}");
        Epoch? epoch = Epochs.Epoch.Read(ref fields);
        KeyRangeSet accounts = KeyRangeSet.Read(ref fields);
        StorageHave[] storage = StorageHave.ReadList(ref fields);
        if (epoch is null && (!accounts.IsEmpty || storage.Length > 0 || role == (ulong)Role.Seeder))
            ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, "a seeder or a have-set without an epoch");
        return new Status(version, networkId, genesis, forkId, head, finalized, (Role)role, epoch, accounts, storage);
    });
}
