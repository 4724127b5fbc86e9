using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Bounded healing fallback (§4.8): trie nodes by path under <see cref="Root"/>, snap/1 layout, at most
/// <see cref="Limits.MaxTrieNodePaths"/> paths, answer capped at <see cref="Bytes"/> (soft).</summary>
public sealed record GetTrieNodes(ulong RequestId, Hash256 Root, IReadOnlyList<TrieNodePathSet> Paths, ulong Bytes) : IRequest
{
    public MessageCode Code => MessageCode.GetTrieNodes;

    private int PathsContent()
    {
        int content = 0;
        foreach (TrieNodePathSet set in Paths) content += Rlp.LengthOfList(set.ContentLength());
        return content;
    }

    private int ContentLength() => Rlp.LengthOf(RequestId) + 33 + Rlp.LengthOfList(PathsContent()) + Rlp.LengthOf(Bytes);

    public int EncodedLength() => Rlp.LengthOfList(ContentLength());

    public void WriteTo(Span<byte> destination)
    {
        RlpWriter writer = RlpFields.Begin(destination, ContentLength());
        writer.Write(RequestId);
        writer.Write(Root);
        writer.WriteListHeader(PathsContent());
        foreach (TrieNodePathSet set in Paths)
        {
            writer.WriteListHeader(set.ContentLength());
            writer.WriteBytes(set.AccountPath.Span);
            foreach (ReadOnlyMemory<byte> path in set.StoragePaths) writer.WriteBytes(path.Span);
        }
        writer.Write(Bytes);
    }

    /// <summary>Decodes a GetTrieNodes payload.</summary>
    public static GetTrieNodes Decode(ReadOnlySpan<byte> payload) => RlpFields.Decode(payload, nameof(GetTrieNodes), static (ref RlpReader fields, byte[] owner) =>
    {
        ulong id = RlpFields.ReadRequestId(ref fields);
        Hash256 root = fields.ReadHash();
        RlpReader sets = fields.ReadList();
        var paths = new List<TrieNodePathSet>();
        int total = 0;
        while (!sets.IsEnd)
        {
            RlpReader set = sets.ReadList();
            var all = new List<ReadOnlyMemory<byte>>();
            int accountNibbles = 0;
            while (!set.IsEnd)
            {
                if (++total > Limits.MaxTrieNodePaths) ProtocolViolationException.Throw(ViolationReason.TooManyItems, "too many trie node paths");
                ReadOnlySpan<byte> path = set.ReadBytes();
                int nibbles = TrieNodePathSet.NibbleCount(path);
                if (all.Count == 0) accountNibbles = nibbles;
                else if (accountNibbles != 64) ProtocolViolationException.Throw(ViolationReason.InvalidPath, "storage paths need a full account path");
                all.Add(RlpFields.Slice(owner, path));
            }
            if (all.Count == 0) ProtocolViolationException.Throw(ViolationReason.InvalidPath, "empty path set");
            paths.Add(new TrieNodePathSet(all[0], all.GetRange(1, all.Count - 1)));
        }
        ulong bytes = fields.ReadUInt64();
        return new GetTrieNodes(id, root, paths, bytes);
    });
}
