using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>A contiguous run of downloaded headers [<see cref="From"/>, <see cref="To"/>] with the hash at each
/// end, so a restarted header download knows what it holds and can check the links at the edges.</summary>
public readonly record struct HeaderSegment(ulong From, ulong To, Hash256 FromHash, Hash256 ToHash);
