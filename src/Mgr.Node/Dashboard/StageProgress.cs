namespace Mgr.Node.Dashboard;

/// <summary>One progress bar: <paramref name="Done"/> of <paramref name="Total"/> (null when unknown, so no ETA)
/// cumulative amounts in <paramref name="Unit"/>. Conventional names: "headers" (blocks), "state" (chunks),
/// "storage" (chunks), "healing" (nodes).</summary>
public sealed record StageProgress(string Name, double Done, double? Total, string Unit);
