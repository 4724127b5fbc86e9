using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Storage;

/// <summary>Short hand for intervals whose keys differ only in their first byte (others 00 at the start, ff at the end).</summary>
internal static class KeyIntervals
{
    public static Hash256 Key(byte first, byte fill = 0)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Fill(fill);
        bytes[0] = first;
        return new Hash256(bytes);
    }

    public static KeyInterval Of(byte first, byte last) => new(Key(first), Key(last, 0xff));

    public static Hash256 RootOf(byte tag) => Key(tag, tag);
}
