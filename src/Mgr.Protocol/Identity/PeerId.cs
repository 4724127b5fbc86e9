using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Identity;

/// <summary>A libp2p peer id: the multihash of an encoded <see cref="PublicKey"/> (identity multihash when
/// the encoding is at most 42 bytes, SHA-256 otherwise). Immutable, compares by value.</summary>
/// <remarks>Text form: base58btc of the multihash (<c>12D3KooW…</c>, <c>16Uiu2…</c>, <c>Qm…</c>); parsing also
/// accepts the CIDv1 form (multibase base32 <c>b…</c>, codec <c>libp2p-key</c>).</remarks>
public sealed class PeerId : IEquatable<PeerId>
{
    /// <summary>Encoded keys up to this length are inlined (identity multihash); longer ones are hashed.</summary>
    public const int MaxInlineKeyLength = 42;

    private const ulong IdentityCode = 0x00;
    private const ulong Sha256Code = 0x12;
    private const ulong Libp2pKeyCodec = 0x72;
    private const int Sha256Length = 32;

    private readonly byte[] _multihash;
    private readonly int _hashCode;

    private PeerId(byte[] multihash)
    {
        _multihash = multihash;
        var hash = new HashCode();
        hash.AddBytes(multihash);
        _hashCode = hash.ToHashCode();
    }

    /// <summary>The multihash bytes (the binary form used in multiaddrs and protobufs).</summary>
    public ReadOnlySpan<byte> Multihash => _multihash;

    /// <summary>The peer id of <paramref name="key"/>.</summary>
    public static PeerId FromPublicKey(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] encoded = key.Encode();
        if (encoded.Length <= MaxInlineKeyLength)
        {
            var inline = new byte[2 + encoded.Length];
            inline[0] = (byte)IdentityCode;
            inline[1] = (byte)encoded.Length;
            encoded.CopyTo(inline, 2);
            return new PeerId(inline);
        }
        var hashed = new byte[2 + Sha256Length];
        hashed[0] = (byte)Sha256Code;
        hashed[1] = Sha256Length;
        SHA256.HashData(encoded, hashed.AsSpan(2));
        return new PeerId(hashed);
    }

    /// <summary>Reads a peer id from multihash bytes.</summary>
    /// <exception cref="KeyFormatException">With <see cref="KeyFormatError.MalformedPeerId"/>.</exception>
    public static PeerId FromMultihash(ReadOnlySpan<byte> multihash) =>
        TryFromMultihash(multihash, out PeerId? peerId)
            ? peerId
            : throw new KeyFormatException(KeyFormatError.MalformedPeerId, "Not an identity or SHA-256 multihash of a key.");

    /// <summary>Reads a peer id from multihash bytes; false unless they are a well-formed identity (≤ 42 bytes)
    /// or SHA-256 multihash.</summary>
    public static bool TryFromMultihash(ReadOnlySpan<byte> multihash, [NotNullWhen(true)] out PeerId? peerId)
    {
        peerId = null;
        if (UnsignedVarint.TryRead(multihash, out ulong code, out int codeLength) != VarintStatus.Ok) return false;
        ReadOnlySpan<byte> rest = multihash[codeLength..];
        if (UnsignedVarint.TryRead(rest, out ulong length, out int lengthLength) != VarintStatus.Ok) return false;
        if ((ulong)(rest.Length - lengthLength) != length) return false;
        bool valid = code switch
        {
            IdentityCode => length is > 0 and <= MaxInlineKeyLength,
            Sha256Code => length == Sha256Length,
            _ => false,
        };
        if (!valid) return false;
        peerId = new PeerId(multihash.ToArray());
        return true;
    }

    /// <summary>Parses the base58btc or CIDv1 text form.</summary>
    /// <exception cref="KeyFormatException">With <see cref="KeyFormatError.MalformedPeerId"/>.</exception>
    public static PeerId Parse(string text) =>
        TryParse(text, out PeerId? peerId)
            ? peerId
            : throw new KeyFormatException(KeyFormatError.MalformedPeerId, $"'{text}' is not a peer id.");

    /// <summary>Parses the base58btc or CIDv1 text form; false when it is neither.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PeerId? peerId)
    {
        peerId = null;
        if (string.IsNullOrEmpty(text)) return false;
        if (text[0] == 'b') return TryParseCid(text.AsSpan(1), out peerId);
        return Base58.TryDecode(text, out byte[] multihash) && TryFromMultihash(multihash, out peerId);
    }

    /// <summary>The public key inlined in an identity-multihash peer id; false for hashed ids.</summary>
    public bool TryGetPublicKey([NotNullWhen(true)] out PublicKey? key)
    {
        key = null;
        if (_multihash[0] != IdentityCode) return false;
        try
        {
            key = PublicKey.Decode(_multihash.AsSpan(2));
            return true;
        }
        catch (KeyFormatException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="key"/> is the key this peer id was derived from.</summary>
    public bool Matches(PublicKey key) => Equals(FromPublicKey(key));

    public bool Equals(PeerId? other) => other is not null && other._multihash.AsSpan().SequenceEqual(_multihash);

    public override bool Equals(object? obj) => Equals(obj as PeerId);

    public override int GetHashCode() => _hashCode;

    /// <summary>The base58btc text form.</summary>
    public override string ToString() => Base58.Encode(_multihash);

    public static bool operator ==(PeerId? left, PeerId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(PeerId? left, PeerId? right) => !(left == right);

    // CIDv1 in multibase base32 (RFC 4648 lower case, no padding): version 1, codec libp2p-key, then the multihash.
    private static bool TryParseCid(ReadOnlySpan<char> base32, [NotNullWhen(true)] out PeerId? peerId)
    {
        peerId = null;
        if (base32.Length > Base58.MaxBytes) return false;
        Span<byte> bytes = stackalloc byte[base32.Length * 5 / 8];
        int buffer = 0, bits = 0, written = 0;
        foreach (char c in base32)
        {
            int value = c switch { >= 'a' and <= 'z' => c - 'a', >= '2' and <= '7' => c - '2' + 26, _ => -1 };
            if (value < 0) return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[written++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0) return false;
        ReadOnlySpan<byte> cid = bytes[..written];
        if (UnsignedVarint.TryRead(cid, out ulong version, out int n) != VarintStatus.Ok || version != 1) return false;
        cid = cid[n..];
        if (UnsignedVarint.TryRead(cid, out ulong codec, out n) != VarintStatus.Ok || codec != Libp2pKeyCodec) return false;
        return TryFromMultihash(cid[n..], out peerId);
    }
}
