namespace Mgr.Trie.Headers;

/// <summary>A header's 2048-bit logs bloom (256 bytes), kept as an immutable copy.</summary>
/// <remarks>Sync only carries and hashes it; nothing here adds to or queries the filter.</remarks>
public sealed class Bloom : IEquatable<Bloom>
{
    /// <summary>Length in bytes.</summary>
    public const int Length = 256;

    private readonly byte[] _bytes;

    /// <summary>Copies exactly 256 bytes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 256 bytes long.</exception>
    public Bloom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"A bloom is 256 bytes, got {bytes.Length}.", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    /// <summary>The all-zero bloom (no logs).</summary>
    public static Bloom Empty { get; } = new(new byte[Length]);

    /// <summary>The 256 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public bool Equals(Bloom? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is Bloom other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Lower-case hex with a 0x prefix.</summary>
    public override string ToString() => "0x" + Convert.ToHexStringLower(_bytes);
}
