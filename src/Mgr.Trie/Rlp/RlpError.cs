namespace Mgr.Trie.Rlp;

/// <summary>Why RLP input was rejected.</summary>
public enum RlpError
{
    /// <summary>An item's header or payload runs past the end of the input.</summary>
    Truncated,
    /// <summary>A length uses more bytes than it needs, has a leading zero, or a long form for a short length.</summary>
    NonCanonicalLength,
    /// <summary>A single byte below 0x80 was wrapped as a one-byte string.</summary>
    NonCanonicalSingleByte,
    /// <summary>An integer has leading zero bytes.</summary>
    NonCanonicalInteger,
    /// <summary>A length does not fit in the input's address space.</summary>
    LengthOverflow,
    /// <summary>Bytes remain after the expected end.</summary>
    TrailingBytes,
    /// <summary>Lists nest deeper than <see cref="RlpReader.MaxDepth"/>.</summary>
    TooDeep,
    /// <summary>A list was found where a string was expected.</summary>
    ExpectedString,
    /// <summary>A string was found where a list was expected.</summary>
    ExpectedList,
    /// <summary>An integer is wider than the type it is read into.</summary>
    IntegerTooLarge,
    /// <summary>A fixed-size value (a hash, an address) has the wrong length.</summary>
    WrongLength,
    /// <summary>The input ended where another item was expected.</summary>
    UnexpectedEnd,
}
