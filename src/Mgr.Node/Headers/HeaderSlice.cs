using Mgr.Protocol.Identity;
using Mgr.Trie.Headers;

namespace Mgr.Node.Headers;

/// <summary>A run of up to <see cref="ReverseHeaderFeed.SliceSize"/> consecutive headers in the download
/// window, from <see cref="Top"/> down to <see cref="Bottom"/>, with its status and who served it.</summary>
/// <remarks>Owned by the feed's loop; not thread-safe.</remarks>
public sealed class HeaderSlice(long index, ulong top, int count)
{
    /// <summary>Position in the download: slice 0 ends just below the trusted top.</summary>
    public long Index { get; } = index;

    public ulong Top { get; } = top;

    public int Count { get; } = count;

    public ulong Bottom => Top - (ulong)Count + 1;

    public HeaderSliceStatus Status { get; set; }

    /// <summary>Headers from <see cref="Top"/> down, once verified.</summary>
    public BlockHeader[]? Headers { get; set; }

    /// <summary>Bytes of header RLP held, for the memory limit.</summary>
    public long HeldBytes { get; set; }

    /// <summary>The peer whose headers are held.</summary>
    public PeerId? ServedBy { get; set; }

    /// <summary>A peer whose answer contradicted the skeleton, pending a second opinion.</summary>
    public PeerId? Suspect { get; set; }

    /// <summary>Peers not to ask for this slice again.</summary>
    public HashSet<PeerId> Excluded { get; } = [];
}
