using Mgr.Fuzz.Engine;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>The storage schema's value decoders over a corrupted store (the disk is trusted, but a torn or foreign
/// database must fail with a typed error, not a crash): the input's first byte picks the column, the rest is written as a
/// value (and, for sync progress, also split into a key) in an in-memory store, then read back through
/// PeerPenaltyStore, StageCheckpointStore, SyncProgressStore and SchemaVersion. Documented failures:
/// <see cref="StorageException"/> and <see cref="SchemaVersionException"/>. Budget: 64 KiB + 16 B per input byte.</summary>
internal sealed class StorageValuesTarget : FuzzTarget
{
    private static readonly byte[] PeerId = [0x00, 0x24, 0x08, 0x01];

    public override string Name => "storage-values";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(64 * 1024, 16);

    public override IEnumerable<byte[]> Seeds() => [[0, .. new byte[16]], [1, .. new byte[8], 1, 2], [2, .. new byte[64], .. Enumerable.Repeat((byte)0xff, 32)], [3, 0, 0, 0, 1]];

    public override string Execute(byte[] input)
    {
        if (input.Length == 0) return "empty";
        using var store = new InMemoryKeyValueStore();
        byte[] value = input[1..];
        using (IWriteBatch batch = store.BeginBatch())
        {
            switch (input[0] % 4)
            {
                case 0: batch.Put(Schema.PeerPenalties, PeerId, value); break;
                case 1: batch.Put(Schema.StageCheckpoints, [0x00, 0x01], value); break;
                case 2:
                    int split = Math.Min(value.Length, 64);
                    byte[] key = [.. Hash256.Zero.ToArray(), .. value.AsSpan(Math.Min(split, 32), split - Math.Min(split, 32))];
                    batch.Put(Schema.SyncProgress, key, value.AsSpan(split));
                    break;
                default: batch.Put(Schema.Meta, Schema.SchemaVersionKey, value); break;
            }
            batch.Commit();
        }
        return (input[0] % 4) switch
        {
            0 => PeerPenaltyStore.TryRead(store, PeerId, out _) ? "penalty" : "no-penalty",
            1 => StageCheckpointStore.TryRead(store, 1, out _, out _) ? "checkpoint" : "no-checkpoint",
            2 => SyncProgressStore.Read(store, Hash256.Zero).Count == 0 ? "no-progress" : "progress",
            _ => SchemaVersion.Read(store) is null ? "no-version" : "version",
        };
    }

    public override string? Classify(Exception error) => error switch
    {
        SchemaVersionException => "schema-version",
        StorageException => "storage",
        _ => null,
    };
}
