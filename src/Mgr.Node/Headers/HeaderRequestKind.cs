namespace Mgr.Node.Headers;

/// <summary>What a <see cref="HeaderRequest"/> asks for.</summary>
public enum HeaderRequestKind
{
    /// <summary>The top header of each of several slices (skip = slice size − 1).</summary>
    Skeleton,
    /// <summary>All headers of one slice.</summary>
    Slice,
}
