namespace Mgr.Trie.Headers;

/// <summary>Why a block header's RLP was rejected.</summary>
public enum HeaderError
{
    /// <summary>The input is not one RLP list (malformed, not a list, or bytes after it).</summary>
    NotAList,
    /// <summary>The list has a field count no fork uses (see <see cref="HeaderFork"/>).</summary>
    UnsupportedFieldCount,
    /// <summary>A field is malformed: wrong length, non-canonical or too-large integer, a list where a string belongs.</summary>
    InvalidField,
}
