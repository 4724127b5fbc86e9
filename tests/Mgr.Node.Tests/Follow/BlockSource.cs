using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Follow;

/// <summary>The blocks every fake peer knows, with a count of how often each diff and header was asked for, and one
/// swappable function for the answer, so a fault is one line.</summary>
internal sealed class BlockSource
{
    private readonly Dictionary<Hash256, DevnetBlock> _blocks = [];

    public Dictionary<Hash256, int> DiffFetches { get; } = [];

    public int HeaderFetches { get; private set; }

    public List<DiffRejection> Rejections { get; } = [];

    /// <summary>The answer for a block's diff; by default the honest one.</summary>
    public Func<DevnetBlock, ReadOnlyMemory<byte>?> OnGetDiff { get; set; } = block => block.Diff.Encode();

    public int TotalDiffFetches => DiffFetches.Values.Sum();

    public BlockSource Add(IEnumerable<DevnetBlock> blocks)
    {
        foreach (DevnetBlock block in blocks) _blocks[block.Header.Hash] = block;
        return this;
    }

    public FollowSources Sources() => new(
        (hash, _) =>
        {
            HeaderFetches++;
            return ValueTask.FromResult(_blocks.TryGetValue(hash, out DevnetBlock? block) ? block.Header : null);
        },
        (header, _) =>
        {
            DiffFetches[header.Hash] = DiffFetches.GetValueOrDefault(header.Hash) + 1;
            return ValueTask.FromResult(_blocks.TryGetValue(header.Hash, out DevnetBlock? block) ? OnGetDiff(block) : null);
        },
        Rejections.Add);
}
