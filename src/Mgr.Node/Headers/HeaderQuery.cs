using Mgr.Trie.Primitives;

namespace Mgr.Node.Headers;

/// <summary>A GetBlockHeaders query as the header sync asks it: <see cref="Amount"/> headers from
/// <see cref="OriginNumber"/> (or <see cref="OriginHash"/> when set), every <c>Skip + 1</c>-th, toward
/// genesis when <see cref="Reverse"/>.</summary>
public sealed record HeaderQuery(ulong OriginNumber, int Amount, int Skip, bool Reverse, Hash256? OriginHash = null);
