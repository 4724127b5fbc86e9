using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Tests.Identity;

public sealed class NodeKeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mgr-nodekey-").FullName;

    private string KeyPath => Path.Combine(_directory, "sub", NodeKeyFile.FileName);

    [Fact]
    public void Creates_a_secp256k1_key_once_and_loads_the_same_key_afterwards()
    {
        using IdentityKey created = NodeKeyFile.LoadOrCreate(KeyPath);
        using IdentityKey loaded = NodeKeyFile.LoadOrCreate(KeyPath);

        Assert.Equal(KeyType.Secp256k1, created.PublicKey.Type);
        Assert.Equal(created.PeerId, loaded.PeerId);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Writes_the_key_file_readable_by_the_owner_only()
    {
        using IdentityKey created = NodeKeyFile.LoadOrCreate(KeyPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!, "*.tmp"));
    }

    [Fact]
    public void Does_not_overwrite_an_existing_key()
    {
        using IdentityKey first = NodeKeyFile.LoadOrCreate(KeyPath);
        using var other = Secp256k1IdentityKey.Generate();

        bool created = NodeKeyFile.TryCreate(KeyPath, other);

        Assert.False(created);
        using IdentityKey loaded = NodeKeyFile.Load(KeyPath);
        Assert.Equal(first.PeerId, loaded.PeerId);
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x02, 0x12, 0x05, 1, 2, 3, 4, 5 })] // secp256k1 with a 5-byte scalar
    [InlineData(new byte[] { 0x08, 0x02 })] // no key data
    [InlineData(new byte[] { 0x08, 0x00, 0x12, 0x01, 0x00 })] // RSA: not supported as a node key
    [InlineData(new byte[] { 0x66, 0x6f, 0x6f })] // text garbage
    [InlineData(new byte[0])] // empty file
    public void Reports_a_malformed_key_file_with_a_typed_error(byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllBytes(KeyPath, content);

        var error = Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.LoadOrCreate(KeyPath));

        Assert.Equal(NodeKeyFileError.Malformed, error.Reason);
        Assert.Equal(KeyPath, error.Path);
    }

    [Fact]
    public void Refuses_an_oversized_key_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllBytes(KeyPath, new byte[NodeKeyFile.MaxFileBytes + 1]);

        var error = Assert.Throws<NodeKeyFileException>(() => NodeKeyFile.Load(KeyPath));

        Assert.Equal(NodeKeyFileError.TooLarge, error.Reason);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
