namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>One uninterrupted sync of a fresh leecher from the soak's seeder: the state payload (StateData, ChunkDiff,
/// ByteCodes) and its StateData part the seeder sent it, how long it took, and the leecher's peak RSS (VmHWM).</summary>
/// <param name="UniqueStateBytes">State payload the leecher reported received, less the chunks it already held
/// (its <c>duplicateBytes</c>): one copy of the state as the protocol sends it.</param>
internal sealed record ReferenceSync(long StateBytes, long StateDataBytes, long UniqueStateBytes, double Seconds, long? PeakResidentBytes);
