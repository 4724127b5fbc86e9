using System.Security.Cryptography;

namespace Mgr.Protocol.Transport.Noise;

/// <summary>The Noise SymmetricState for <c>Noise_XX_25519_ChaChaPoly_SHA256</c>: chaining key, handshake hash and
/// the current handshake cipher. Used for one handshake, by one task.</summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const int HashLength = 32;

    private readonly byte[] _chainingKey = new byte[HashLength];
    private readonly byte[] _hash = new byte[HashLength];
    private NoiseCipher? _cipher;

    public NoiseSymmetricState(ReadOnlySpan<byte> protocolName)
    {
        // Names of exactly HASHLEN bytes are used as-is; longer ones are hashed (Noise §5.2).
        if (protocolName.Length <= HashLength) protocolName.CopyTo(_hash);
        else SHA256.HashData(protocolName, _hash);
        _hash.CopyTo(_chainingKey, 0);
    }

    public void MixHash(ReadOnlySpan<byte> data) => NextHash(data, _hash);

    // SHA-256(h ‖ data) into destination.
    private void NextHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_hash);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        Hkdf(_chainingKey, inputKeyMaterial, output);
        output[..HashLength].CopyTo(_chainingKey);
        _cipher?.Dispose();
        _cipher = new NoiseCipher(output[HashLength..]);
        CryptographicOperations.ZeroMemory(output);
    }

    /// <summary>Encrypts (or copies, before the first key) and mixes the result into h; returns bytes written.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int written;
        if (_cipher is null)
        {
            plaintext.CopyTo(destination);
            written = plaintext.Length;
        }
        else
        {
            written = _cipher.Encrypt(_hash, plaintext, destination);
        }
        MixHash(destination[..written]);
        return written;
    }

    /// <summary>Decrypts (or copies, before the first key) and mixes the ciphertext into h; returns the plaintext
    /// length. <paramref name="destination"/> may be the ciphertext's own bytes.</summary>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        Span<byte> next = stackalloc byte[HashLength];
        NextHash(ciphertext, next); // before decrypting: decryption may overwrite the ciphertext
        int written;
        if (_cipher is null)
        {
            ciphertext.CopyTo(destination);
            written = ciphertext.Length;
        }
        else
        {
            written = _cipher.Decrypt(_hash, ciphertext, destination);
        }
        next.CopyTo(_hash);
        return written;
    }

    /// <summary>Derives the two transport ciphers: the first encrypts initiator→responder, the second the reverse.</summary>
    public (NoiseCipher InitiatorToResponder, NoiseCipher ResponderToInitiator) Split()
    {
        Span<byte> output = stackalloc byte[2 * HashLength];
        Hkdf(_chainingKey, [], output);
        var result = (new NoiseCipher(output[..HashLength]), new NoiseCipher(output[HashLength..]));
        CryptographicOperations.ZeroMemory(output);
        return result;
    }

    // Noise's HKDF with two outputs (RFC 5869 with the chaining key as salt and empty info). Written out with HMAC
    // because OpenSSL's HKDF refuses the empty input key material that Split() uses.
    private static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> tempKey = stackalloc byte[HashLength];
        Span<byte> block = stackalloc byte[HashLength + 1];
        HMACSHA256.HashData(chainingKey, inputKeyMaterial, tempKey);
        block[0] = 1;
        HMACSHA256.HashData(tempKey, block[..1], output[..HashLength]);
        output[..HashLength].CopyTo(block);
        block[HashLength] = 2;
        HMACSHA256.HashData(tempKey, block, output[HashLength..]);
        CryptographicOperations.ZeroMemory(tempKey);
        CryptographicOperations.ZeroMemory(block);
    }

    public void Dispose()
    {
        _cipher?.Dispose();
        CryptographicOperations.ZeroMemory(_chainingKey);
    }
}
