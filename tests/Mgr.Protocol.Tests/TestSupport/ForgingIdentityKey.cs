using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Tests.TestSupport;

/// <summary>An identity key that presents a real public key but signs something other than what it is asked to
/// sign: a peer whose handshake signature cannot verify.</summary>
public sealed class ForgingIdentityKey(IdentityKey inner) : IdentityKey
{
    public override PublicKey PublicKey => inner.PublicKey;

    public override byte[] Sign(ReadOnlySpan<byte> message) => inner.Sign([.. message, 0x00]);

    protected override byte[] ExportPrivateKeyData() => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
