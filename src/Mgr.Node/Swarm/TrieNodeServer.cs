using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>Answers GetTrieNodes (spec/mgr-protocol.md §4.8) from the node's hash-keyed trie nodes: for each path set the
/// account-trie node at its account path, or, when storage paths follow a full account path, the nodes at those paths
/// in that account's storage trie. Nodes come in request order; the answer stops at the first path the store cannot
/// resolve (so it is always a prefix of the request) and once <see cref="GetTrieNodes.Bytes"/> (capped at
/// <see cref="Limits.MaxResponseBytes"/>) is reached; it is empty when the root is unknown.</summary>
public static class TrieNodeServer
{
    /// <summary>The answer to <paramref name="request"/> from <paramref name="store"/>.</summary>
    public static TrieNodes Serve(IKeyValueReader store, GetTrieNodes request)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var nodes = new TrieNodeStore(store);
        long budget = Math.Min((long)Math.Min(request.Bytes, int.MaxValue), Limits.MaxResponseBytes);
        var answer = new List<ReadOnlyMemory<byte>>();
        long size = 0;
        try
        {
            foreach (TrieNodePathSet set in request.Paths)
            {
                NibblePath accountPath = Nibbles(set.AccountPath.Span);
                if (set.StoragePaths.Count == 0)
                {
                    if (!Add(nodes, request.Root, accountPath, answer, ref size) || size >= budget) break;
                    continue;
                }
                if (StorageRoot(nodes, request.Root, accountPath) is not { } storageRoot) break;
                bool complete = true;
                foreach (ReadOnlyMemory<byte> storagePath in set.StoragePaths)
                {
                    if (!Add(nodes, storageRoot, Nibbles(storagePath.Span), answer, ref size) || size >= budget)
                    {
                        complete = false;
                        break;
                    }
                }
                if (!complete) break;
            }
        }
        catch (Exception e) when (e is TrieException or Mgr.Trie.Rlp.RlpException)
        {
            // A stored node or account that does not decode: answer with what was found before it.
        }
        return new TrieNodes(request.RequestId, answer);
    }

    private static bool Add(TrieNodeStore nodes, Hash256 root, NibblePath path, List<ReadOnlyMemory<byte>> answer, ref long size)
    {
        if (!TrieNodeLocator.TryGetNode(nodes, root, path.Span, out ReadOnlyMemory<byte> rlp)) return false;
        answer.Add(rlp);
        size += rlp.Length;
        return true;
    }

    private static Hash256? StorageRoot(TrieNodeStore nodes, Hash256 root, NibblePath accountPath)
    {
        if (accountPath.Length != 64) return null;
        byte[]? leaf = new PatriciaTrie(nodes, root).Get(accountPath.ToBytes());
        return leaf is null ? null : Account.Decode(leaf).StorageRoot;
    }

    // Paths were validated when the request was decoded (TrieNodePathSet.NibbleCount): hex-prefix, no leaf flag.
    private static NibblePath Nibbles(ReadOnlySpan<byte> compact) =>
        HexPrefix.TryDecode(compact, out NibblePath path, out _) ? path : NibblePath.Empty;
}
