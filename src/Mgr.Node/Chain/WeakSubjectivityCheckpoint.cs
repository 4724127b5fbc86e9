using Mgr.Trie.Primitives;

namespace Mgr.Node.Chain;

/// <summary>The trusted header H_W a sync starts from: the header at <see cref="Number"/> must hash to
/// <see cref="Hash"/>, or sync aborts. <see cref="HeaderRlp"/> holds the header itself when the source gave it.</summary>
public sealed record WeakSubjectivityCheckpoint(ulong Number, Hash256 Hash, ReadOnlyMemory<byte> HeaderRlp = default)
{
    /// <summary>The <c>number:hash</c> form accepted by <c>--checkpoint</c>.</summary>
    public override string ToString() => $"{Number}:{Hash}";
}
