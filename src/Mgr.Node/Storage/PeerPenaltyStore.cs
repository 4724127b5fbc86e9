using System.Buffers.Binary;

namespace Mgr.Node.Storage;

/// <summary>Peer penalties across restarts (<see cref="Schema.PeerPenalties"/>): peer id bytes → <see cref="PeerPenalty"/>.</summary>
public static class PeerPenaltyStore
{
    /// <summary>Longest peer id accepted (a libp2p peer id is a multihash of at most a few dozen bytes).</summary>
    public const int MaxPeerIdBytes = 128;

    private const int ValueLength = 16;

    public static void Write(IWriteBatch batch, ReadOnlySpan<byte> peerId, PeerPenalty penalty)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckPeerId(peerId);
        Span<byte> value = stackalloc byte[ValueLength];
        BinaryPrimitives.WriteInt64BigEndian(value, penalty.Score);
        BinaryPrimitives.WriteInt64BigEndian(value[8..], penalty.BannedUntilUnixMs);
        batch.Put(Schema.PeerPenalties, peerId, value);
    }

    public static void Delete(IWriteBatch batch, ReadOnlySpan<byte> peerId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckPeerId(peerId);
        batch.Delete(Schema.PeerPenalties, peerId);
    }

    public static bool TryRead(IKeyValueReader reader, ReadOnlySpan<byte> peerId, out PeerPenalty penalty)
    {
        ArgumentNullException.ThrowIfNull(reader);
        CheckPeerId(peerId);
        Span<byte> value = stackalloc byte[ValueLength];
        penalty = default;
        if (!reader.TryGet(Schema.PeerPenalties, peerId, value, out int length)) return false;
        penalty = Decode(value, length);
        return true;
    }

    /// <summary>Every stored peer and its penalty, in peer-id byte order.</summary>
    public static IReadOnlyList<(byte[] PeerId, PeerPenalty Penalty)> ReadAll(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new List<(byte[], PeerPenalty)>();
        using IRangeCursor cursor = reader.Iterate(Schema.PeerPenalties, default, default);
        while (cursor.MoveNext()) result.Add((cursor.Key.ToArray(), Decode(cursor.Value, cursor.Value.Length)));
        return result;
    }

    private static PeerPenalty Decode(ReadOnlySpan<byte> value, int length)
    {
        if (length != ValueLength) throw new StorageException($"Corrupt peer-penalty entry: {length} bytes, expected {ValueLength}.");
        return new PeerPenalty(BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[8..]));
    }

    private static void CheckPeerId(ReadOnlySpan<byte> peerId)
    {
        if (peerId.IsEmpty || peerId.Length > MaxPeerIdBytes)
            throw new ArgumentException($"A peer id must be 1 to {MaxPeerIdBytes} bytes; got {peerId.Length}.", nameof(peerId));
    }
}
