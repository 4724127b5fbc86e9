using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>One path set of <see cref="GetTrieNodes"/>: a hex-prefix encoded path in the account trie and,
/// when that path is a full 64-nibble account key, paths in that account's storage trie (snap/1 layout).</summary>
public sealed record TrieNodePathSet(ReadOnlyMemory<byte> AccountPath, IReadOnlyList<ReadOnlyMemory<byte>> StoragePaths)
{
    /// <summary>Content length of the set's list.</summary>
    internal int ContentLength()
    {
        int content = Rlp.LengthOf(AccountPath.Span);
        foreach (ReadOnlyMemory<byte> path in StoragePaths) content += Rlp.LengthOf(path.Span);
        return content;
    }

    /// <summary>Nibbles of a valid hex-prefix path (no leaf flag, at most 64 nibbles).</summary>
    /// <exception cref="ProtocolViolationException"><see cref="ViolationReason.InvalidPath"/>.</exception>
    public static int NibbleCount(ReadOnlySpan<byte> compact)
    {
        if (compact.IsEmpty || compact.Length > 33) ProtocolViolationException.Throw(ViolationReason.InvalidPath, $"path of {compact.Length} bytes");
        int flag = compact[0] >> 4;
        if (flag > 1) ProtocolViolationException.Throw(ViolationReason.InvalidPath, "path with a leaf flag or unknown flag");
        if (flag == 0 && (compact[0] & 0x0f) != 0) ProtocolViolationException.Throw(ViolationReason.InvalidPath, "even path with a non-zero pad nibble");
        int nibbles = 2 * (compact.Length - 1) + flag;
        if (nibbles > 64) ProtocolViolationException.Throw(ViolationReason.InvalidPath, "path longer than 64 nibbles");
        return nibbles;
    }
}
