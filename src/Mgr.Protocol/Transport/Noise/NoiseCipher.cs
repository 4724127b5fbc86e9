using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mgr.Protocol.Transport.Noise;

/// <summary>A Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit message counter used as the nonce
/// (four zero bytes, then the counter little-endian). Not thread-safe: one sender or one receiver owns it.</summary>
internal sealed class NoiseCipher : IDisposable
{
    public const int KeyLength = 32;
    public const int TagLength = 16;

    private readonly System.Security.Cryptography.ChaCha20Poly1305 _aead;
    private ulong _nonce;

    public NoiseCipher(ReadOnlySpan<byte> key) => _aead = new System.Security.Cryptography.ChaCha20Poly1305(key);

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (ciphertext then tag;
    /// the two may start at the same address) and returns the bytes written.</summary>
    public int Encrypt(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), associatedData);
        return plaintext.Length + TagLength;
    }

    /// <summary>Decrypts ciphertext‖tag into <paramref name="destination"/> (may be the ciphertext's own bytes) and
    /// returns the plaintext length.</summary>
    /// <exception cref="NoiseException">With <see cref="NoiseError.DecryptionFailed"/> when the tag does not verify.</exception>
    public int Decrypt(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        if (ciphertext.Length < TagLength) throw new NoiseException(NoiseError.MalformedMessage, "Noise message shorter than its tag.");
        int length = ciphertext.Length - TagLength;
        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], destination[..length], associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new NoiseException(NoiseError.DecryptionFailed, "Noise message failed authentication.", e);
        }
        return length;
    }

    public void Dispose() => _aead.Dispose();

    private void NextNonce(Span<byte> nonce)
    {
        // 2^64 - 1 is reserved by the Noise spec; reaching it means the key is used up.
        if (_nonce == ulong.MaxValue) throw new NoiseException(NoiseError.NonceExhausted, "Noise nonce space exhausted.");
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce++);
    }

    /// <summary>Sets the counter (tests use it to reach the nonce limit without 2^64 messages).</summary>
    internal void SetNonceForTest(ulong nonce) => _nonce = nonce;
}
