using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Mgr.Protocol.Identity;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mgr.Protocol.Transport.Noise;

/// <summary>The <c>/noise</c> secure channel (noise-libp2p): runs the <c>Noise_XX_25519_ChaChaPoly_SHA256</c>
/// handshake with the libp2p identity payload over a raw connection and returns the secured
/// <see cref="NoiseStream"/>. One instance per host; thread-safe; any number of concurrent handshakes.</summary>
/// <remarks>The static X25519 key is generated once per instance (never stored) and the identity signature over it
/// is computed once, so a handshake costs four X25519 operations and one signature verification. Failures throw
/// <see cref="NoiseException"/> with a reason; the caller closes the connection.</remarks>
public sealed class NoiseSecurity
{
    /// <summary>The protocol id negotiated with multistream-select.</summary>
    public const string ProtocolId = "/noise";

    /// <summary>Prefix of the message the identity key signs, followed by the static Noise public key.</summary>
    public const string StaticKeySignaturePrefix = "noise-libp2p-static-key:";

    private const int KeyLength = 32;
    private static readonly byte[] ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256"u8.ToArray();

    private readonly X25519PrivateKeyParameters _staticKey;
    private readonly byte[] _staticPublicKey;
    private readonly byte[] _payload;

    /// <summary>Prepares the handshake for <paramref name="identity"/>.</summary>
    public NoiseSecurity(IdentityKey identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        _staticKey = NewX25519Key();
        _staticPublicKey = _staticKey.GeneratePublicKey().GetEncoded();
        _payload = new NoiseHandshakePayload(identity.PublicKey.Encode(), identity.Sign(SignedMessage(_staticPublicKey)), []).Encode();
    }

    /// <summary>The local identity.</summary>
    public IdentityKey Identity { get; }

    /// <summary>Handshakes as the initiator (the dialer).</summary>
    /// <param name="connection">The raw connection, positioned right after multistream-select agreed on /noise.</param>
    /// <param name="expectedPeer">The peer id being dialled, or null to accept whoever answers.</param>
    /// <param name="cancellation">Cancels the handshake (use it for the handshake timeout).</param>
    /// <exception cref="NoiseException">When the handshake fails; the caller must close <paramref name="connection"/>.</exception>
    public async Task<NoiseStream> SecureOutboundAsync(Stream connection, PeerId? expectedPeer, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(connection);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(NoiseStream.MaxFrameLength);
        using var state = new NoiseSymmetricState(ProtocolName);
        X25519PrivateKeyParameters ephemeral = NewX25519Key();
        try
        {
            state.MixHash([]); // empty prologue
            // -> e
            byte[] ephemeralPublic = ephemeral.GeneratePublicKey().GetEncoded();
            ephemeralPublic.CopyTo(buffer, 0);
            state.MixHash(ephemeralPublic);
            int length = KeyLength + state.EncryptAndHash([], buffer.AsSpan(KeyLength));
            await WriteFrameAsync(connection, buffer, length, cancellation).ConfigureAwait(false);

            // <- e, ee, s, es
            length = await ReadFrameAsync(connection, buffer, cancellation).ConfigureAwait(false);
            if (length < KeyLength + KeyLength + 2 * NoiseCipher.TagLength)
            {
                throw new NoiseException(NoiseError.MalformedMessage, "Second handshake message too short.");
            }
            byte[] remoteEphemeral = buffer.AsSpan(0, KeyLength).ToArray();
            state.MixHash(remoteEphemeral);
            state.MixKey(Agree(ephemeral, remoteEphemeral));
            byte[] remoteStatic = new byte[KeyLength];
            state.DecryptAndHash(buffer.AsSpan(KeyLength, KeyLength + NoiseCipher.TagLength), remoteStatic);
            state.MixKey(Agree(ephemeral, remoteStatic));
            int offset = 2 * KeyLength + NoiseCipher.TagLength;
            int payloadLength = state.DecryptAndHash(buffer.AsSpan(offset, length - offset), buffer.AsSpan(offset));
            PublicKey remoteKey = Authenticate(buffer.AsSpan(offset, payloadLength), remoteStatic);
            PeerId remotePeer = remoteKey.ToPeerId();
            if (expectedPeer is not null && remotePeer != expectedPeer)
            {
                throw new NoiseException(NoiseError.PeerIdMismatch, $"Dialled {expectedPeer} but {remotePeer} answered.");
            }

            // -> s, se
            length = state.EncryptAndHash(_staticPublicKey, buffer);
            state.MixKey(Agree(_staticKey, remoteEphemeral));
            length += state.EncryptAndHash(_payload, buffer.AsSpan(length));
            await WriteFrameAsync(connection, buffer, length, cancellation).ConfigureAwait(false);

            (NoiseCipher send, NoiseCipher receive) = state.Split();
            return new NoiseStream(connection, send, receive, remoteKey, remotePeer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handshakes as the responder (the listener).</summary>
    /// <exception cref="NoiseException">When the handshake fails; the caller must close <paramref name="connection"/>.</exception>
    public async Task<NoiseStream> SecureInboundAsync(Stream connection, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(connection);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(NoiseStream.MaxFrameLength);
        using var state = new NoiseSymmetricState(ProtocolName);
        X25519PrivateKeyParameters ephemeral = NewX25519Key();
        try
        {
            state.MixHash([]); // empty prologue
            // -> e
            int length = await ReadFrameAsync(connection, buffer, cancellation).ConfigureAwait(false);
            if (length < KeyLength) throw new NoiseException(NoiseError.MalformedMessage, "First handshake message too short.");
            byte[] remoteEphemeral = buffer.AsSpan(0, KeyLength).ToArray();
            state.MixHash(remoteEphemeral);
            state.DecryptAndHash(buffer.AsSpan(KeyLength, length - KeyLength), buffer.AsSpan(KeyLength)); // early data: ignored

            // <- e, ee, s, es
            byte[] ephemeralPublic = ephemeral.GeneratePublicKey().GetEncoded();
            ephemeralPublic.CopyTo(buffer, 0);
            state.MixHash(ephemeralPublic);
            state.MixKey(Agree(ephemeral, remoteEphemeral));
            length = KeyLength + state.EncryptAndHash(_staticPublicKey, buffer.AsSpan(KeyLength));
            state.MixKey(Agree(_staticKey, remoteEphemeral));
            length += state.EncryptAndHash(_payload, buffer.AsSpan(length));
            await WriteFrameAsync(connection, buffer, length, cancellation).ConfigureAwait(false);

            // -> s, se
            length = await ReadFrameAsync(connection, buffer, cancellation).ConfigureAwait(false);
            if (length < KeyLength + 2 * NoiseCipher.TagLength)
            {
                throw new NoiseException(NoiseError.MalformedMessage, "Third handshake message too short.");
            }
            byte[] remoteStatic = new byte[KeyLength];
            state.DecryptAndHash(buffer.AsSpan(0, KeyLength + NoiseCipher.TagLength), remoteStatic);
            state.MixKey(Agree(ephemeral, remoteStatic));
            int offset = KeyLength + NoiseCipher.TagLength;
            int payloadLength = state.DecryptAndHash(buffer.AsSpan(offset, length - offset), buffer.AsSpan(offset));
            PublicKey remoteKey = Authenticate(buffer.AsSpan(offset, payloadLength), remoteStatic);

            (NoiseCipher receive, NoiseCipher send) = state.Split();
            return new NoiseStream(connection, send, receive, remoteKey, remoteKey.ToPeerId());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The bytes an identity key signs to vouch for a static Noise key.</summary>
    public static byte[] SignedMessage(ReadOnlySpan<byte> staticPublicKey) =>
        [.. System.Text.Encoding.ASCII.GetBytes(StaticKeySignaturePrefix), .. staticPublicKey];

    // Decodes the peer's payload and checks its identity signature over the static key it used in this handshake.
    private static PublicKey Authenticate(ReadOnlySpan<byte> payloadBytes, byte[] remoteStatic)
    {
        NoiseHandshakePayload payload = NoiseHandshakePayload.Decode(payloadBytes);
        PublicKey key;
        try
        {
            key = PublicKey.Decode(payload.IdentityKey);
        }
        catch (KeyFormatException e)
        {
            throw new NoiseException(NoiseError.InvalidPayload, $"The peer's identity key is invalid ({e.Reason}).", e);
        }
        if (key.Type is not (KeyType.Ed25519 or KeyType.Secp256k1))
        {
            throw new NoiseException(NoiseError.UnsupportedKeyType, $"{key.Type} identity keys are not supported.");
        }
        if (!key.Verify(SignedMessage(remoteStatic), payload.IdentitySignature))
        {
            throw new NoiseException(NoiseError.BadSignature, "The peer's identity signature over its static key does not verify.");
        }
        return key;
    }

    private static byte[] Agree(X25519PrivateKeyParameters privateKey, byte[] publicKey)
    {
        var secret = new byte[KeyLength];
        try
        {
            privateKey.GenerateSecret(new X25519PublicKeyParameters(publicKey, 0), secret, 0);
        }
        catch (InvalidOperationException e)
        {
            throw new NoiseException(NoiseError.InvalidKey, "X25519 agreement produced the all-zero secret.", e);
        }
        return secret;
    }

    private static X25519PrivateKeyParameters NewX25519Key()
    {
        Span<byte> seed = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(seed);
        var key = new X25519PrivateKeyParameters(seed.ToArray(), 0);
        CryptographicOperations.ZeroMemory(seed);
        return key;
    }

    private static async ValueTask WriteFrameAsync(Stream connection, byte[] message, int length, CancellationToken cancellation)
    {
        byte[] frame = ArrayPool<byte>.Shared.Rent(2 + length);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)length);
            message.AsSpan(0, length).CopyTo(frame.AsSpan(2));
            await connection.WriteAsync(frame.AsMemory(0, 2 + length), cancellation).ConfigureAwait(false);
            await connection.FlushAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private static async ValueTask<int> ReadFrameAsync(Stream connection, byte[] buffer, CancellationToken cancellation)
    {
        try
        {
            await connection.ReadExactlyAsync(buffer.AsMemory(0, 2), cancellation).ConfigureAwait(false);
            int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            await connection.ReadExactlyAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            return length;
        }
        catch (EndOfStreamException e)
        {
            throw new NoiseException(NoiseError.Truncated, "The connection closed during the Noise handshake.", e);
        }
    }
}
