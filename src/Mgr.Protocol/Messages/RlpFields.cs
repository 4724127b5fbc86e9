using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Small encode/decode pieces shared by the message types: byte-string lists, hash lists, request ids
/// and slices into a decoded message's own copy of its payload.</summary>
internal static class RlpFields
{
    /// <summary>Content length of a list of byte strings.</summary>
    public static int ContentOf(IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        int content = 0;
        foreach (ReadOnlyMemory<byte> item in items) content += Rlp.LengthOf(item.Span);
        return content;
    }

    /// <summary>Writes a list of byte strings.</summary>
    public static void WriteList(ref RlpWriter writer, IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        writer.WriteListHeader(ContentOf(items));
        foreach (ReadOnlyMemory<byte> item in items) writer.WriteBytes(item.Span);
    }

    /// <summary>Reads a list of at most <paramref name="maxItems"/> byte strings as slices of <paramref name="owner"/>.</summary>
    public static ReadOnlyMemory<byte>[] ReadList(ref RlpReader reader, byte[] owner, int maxItems, string what)
    {
        RlpReader list = reader.ReadList();
        var items = new List<ReadOnlyMemory<byte>>();
        while (!list.IsEnd)
        {
            if (items.Count == maxItems) ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"{what}: more than {maxItems} items");
            items.Add(Slice(owner, list.ReadBytes()));
        }
        return [.. items];
    }

    /// <summary>Reads a list of at most <paramref name="maxItems"/> 32-byte hashes.</summary>
    public static Hash256[] ReadHashes(ref RlpReader reader, int maxItems, string what)
    {
        RlpReader list = reader.ReadList();
        var items = new List<Hash256>();
        while (!list.IsEnd)
        {
            if (items.Count == maxItems) ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"{what}: more than {maxItems} hashes");
            items.Add(list.ReadHash());
        }
        return [.. items];
    }

    /// <summary>Reads a request id that must not be the reserved 0.</summary>
    public static ulong ReadRequestId(ref RlpReader reader)
    {
        ulong id = reader.ReadUInt64();
        if (id == 0) ProtocolViolationException.Throw(ViolationReason.ReservedRequestId, "request id 0 is reserved for pushed data");
        return id;
    }

    /// <summary>The slice of <paramref name="owner"/> that <paramref name="part"/> (a span read from it) covers.</summary>
    public static ReadOnlyMemory<byte> Slice(byte[] owner, ReadOnlySpan<byte> part)
    {
        if (part.IsEmpty) return ReadOnlyMemory<byte>.Empty;
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(owner), ref MemoryMarshal.GetReference(part));
        if (offset < 0 || offset + part.Length > owner.Length) throw new ArgumentException("The span does not point into the owner array.", nameof(part));
        return owner.AsMemory((int)offset, part.Length);
    }

    /// <summary>Runs a decoder over a private copy of <paramref name="payload"/>, translating RLP errors into violations.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> payload, string message, DecodeBody<T> body)
    {
        byte[] owner = payload.ToArray();
        try
        {
            var outer = new RlpReader(owner);
            RlpReader fields = outer.ReadList();
            outer.EnsureEnd();
            T result = body(ref fields, owner);
            fields.EnsureEnd();
            return result;
        }
        catch (RlpException error)
        {
            throw ProtocolViolationException.FromRlp(message, error);
        }
    }

    /// <summary>Reads a message's fields from the reader over its outer list; <paramref name="owner"/> is the payload copy.</summary>
    public delegate T DecodeBody<T>(ref RlpReader fields, byte[] owner);

    /// <summary>Writes a message as one list: header for <paramref name="content"/> bytes, then the fields.</summary>
    public static RlpWriter Begin(Span<byte> destination, int content)
    {
        var writer = new RlpWriter(destination);
        writer.WriteListHeader(content);
        return writer;
    }
}
