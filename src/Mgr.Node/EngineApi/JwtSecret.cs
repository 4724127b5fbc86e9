using System.Security.Cryptography;

namespace Mgr.Node.EngineApi;

/// <summary>The 256-bit shared secret that signs and verifies Engine API JWTs (authentication.md).</summary>
/// <remarks>
/// Loaded from a file holding 64 hex digits (an optional <c>0x</c> prefix and surrounding whitespace are
/// allowed). The bytes never leave this type except to the HMAC; <see cref="ToString"/> is redacted so
/// the secret cannot reach a log by accident.
/// </remarks>
public sealed class JwtSecret
{
    /// <summary>Length of the secret in bytes (256 bits).</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    private JwtSecret(byte[] key) => _key = key;

    /// <summary>Wraps exactly <see cref="Length"/> bytes (copied).</summary>
    /// <exception cref="JwtSecretException">When the key is not 32 bytes.</exception>
    public static JwtSecret FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length) throw new JwtSecretException($"a JWT secret is {Length} bytes, got {key.Length}");
        return new JwtSecret(key.ToArray());
    }

    /// <summary>A fresh random secret (for a node started without <c>--jwt-secret</c>).</summary>
    public static JwtSecret Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Parses the file contents: 64 hex digits, optionally 0x-prefixed.</summary>
    /// <exception cref="JwtSecretException">When the text is not a 256-bit hex key.</exception>
    public static JwtSecret Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> hex = text.AsSpan().Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length != 2 * Length)
            throw new JwtSecretException($"a JWT secret file must hold {2 * Length} hex digits, found {hex.Length} characters");
        var key = new byte[Length];
        if (Convert.FromHexString(hex, key, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
            throw new JwtSecretException("a JWT secret file must hold only hex digits");
        return new JwtSecret(key);
    }

    /// <summary>Reads and parses a secret file.</summary>
    /// <exception cref="JwtSecretException">When the file is missing, unreadable or malformed.</exception>
    public static JwtSecret Load(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > 1024) throw new JwtSecretException($"JWT secret file '{path}' is too large to be a 256-bit hex key");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JwtSecretException($"cannot read JWT secret file '{path}': {e.Message}");
        }
        try
        {
            return Parse(text);
        }
        catch (JwtSecretException e)
        {
            throw new JwtSecretException($"JWT secret file '{path}': {e.Message}");
        }
    }

    /// <summary>Writes the secret as 0x-hex to <paramref name="path"/> (the <c>jwt.hex</c> a consensus client reads),
    /// readable and writable by the owner only (0600) on Unix, like the node key: whoever reads it can drive the node.</summary>
    public void Save(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes("0x" + Convert.ToHexStringLower(_key)));
        }
        // UnixCreateMode applies only to a new file: an existing one keeps its mode unless narrowed here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Loads the secret at <paramref name="path"/>, or generates one and saves it there (0600) when the file
    /// does not exist — as execution clients do with their default <c>jwt.hex</c>.</summary>
    /// <exception cref="JwtSecretException">When the file exists but cannot be used, or cannot be created.</exception>
    public static JwtSecret LoadOrCreate(string path, out bool created)
    {
        created = !File.Exists(path);
        if (!created) return Load(path);
        JwtSecret secret = Generate();
        try
        {
            secret.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JwtSecretException($"cannot write JWT secret file '{path}': {e.Message}");
        }
        return secret;
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under this secret into <paramref name="destination"/> (32 bytes).</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> destination) => HMACSHA256.HashData(_key, data, destination);

    /// <summary>Redacted: the secret is never printed.</summary>
    public override string ToString() => "JwtSecret(redacted)";
}
