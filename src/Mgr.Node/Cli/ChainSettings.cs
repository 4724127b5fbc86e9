namespace Mgr.Node.Cli;

/// <summary>The chain-side settings of a node as given on the command line (see <see cref="ChainOptions"/>).
/// The checkpoint sources are unparsed: <see cref="Chain.CheckpointSource.ResolveAsync"/> reads them.</summary>
internal sealed record ChainSettings(string? Checkpoint, string? CheckpointFile, string? CheckpointUrl, int EnginePort,
    string? JwtSecretPath, long HeadersMemoryLimitBytes, bool Backfill = false, string? PreverifiedPath = null);
