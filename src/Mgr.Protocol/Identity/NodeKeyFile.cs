namespace Mgr.Protocol.Identity;

/// <summary>The node's identity key on disk: a libp2p <c>PrivateKey</c> protobuf (secp256k1 unless the file
/// says otherwise), created once with owner-only (0600) permissions and written atomically (temp file + rename).</summary>
public static class NodeKeyFile
{
    /// <summary>The key file's name inside a data directory.</summary>
    public const string FileName = "node.key";

    /// <summary>Largest file accepted (a 96-byte legacy Ed25519 key plus its envelope fits easily).</summary>
    public const int MaxFileBytes = 256;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads the key at <paramref name="path"/>, or creates a new secp256k1 key there when there is no file.</summary>
    /// <exception cref="NodeKeyFileException">When an existing file is malformed or the file system fails.</exception>
    public static IdentityKey LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Load(path);
        using var created = Secp256k1IdentityKey.Generate();
        if (TryCreate(path, created)) return Load(path);
        return Load(path); // another process created it first: use theirs
    }

    /// <summary>Loads an existing key file.</summary>
    /// <exception cref="NodeKeyFileException">With the reason the file is unusable.</exception>
    public static IdentityKey Load(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes) throw new NodeKeyFileException(NodeKeyFileError.TooLarge, path, $"larger than {MaxFileBytes} bytes.");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (IOException e)
        {
            throw new NodeKeyFileException(NodeKeyFileError.Io, path, e.Message, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NodeKeyFileException(NodeKeyFileError.Io, path, e.Message, e);
        }
        try
        {
            return IdentityKey.ImportPrivateKey(bytes);
        }
        catch (KeyFormatException e)
        {
            throw new NodeKeyFileException(NodeKeyFileError.Malformed, path, $"not a libp2p private key ({e.Reason}).", e);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>Writes <paramref name="key"/> to <paramref name="path"/> unless a file is already there; false in that case.</summary>
    /// <exception cref="NodeKeyFileException">With <see cref="NodeKeyFileError.Io"/> when writing fails.</exception>
    public static bool TryCreate(string path, IdentityKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string fullPath = System.IO.Path.GetFullPath(path);
        string temp = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        byte[] encoded = key.ExportPrivateKey();
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerReadWrite;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(encoded);
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(fullPath)) return false;
            File.Move(temp, fullPath, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            return false;
        }
        catch (IOException e)
        {
            throw new NodeKeyFileException(NodeKeyFileError.Io, path, e.Message, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NodeKeyFileException(NodeKeyFileError.Io, path, e.Message, e);
        }
        finally
        {
            Array.Clear(encoded);
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
