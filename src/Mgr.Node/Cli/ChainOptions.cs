using System.CommandLine;
using System.Globalization;
using Mgr.Node.EngineApi;
using Mgr.Node.Headers;

namespace Mgr.Node.Cli;

/// <summary>The chain-side options of <c>mgr node</c> (checkpoint sources, Engine API, header download),
/// built as System.CommandLine options and read back into an <see cref="ChainSettings"/> record.</summary>
/// <remarks>A command adds them with <see cref="AddTo"/> and reads them with <see cref="Read"/>; malformed
/// values are <see cref="CliInputException"/>s (exit 2 through <see cref="CliInput.Run"/>).</remarks>
internal sealed class ChainOptions
{
    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "Weak-subjectivity checkpoint <number>:<hash>." };

    public Option<string?> CheckpointFile { get; } = new("--checkpoint-file") { Description = "File holding the checkpoint (number:hash or JSON)." };

    public Option<string?> CheckpointUrl { get; } = new("--checkpoint-url") { Description = "A trusted node's checkpoint endpoint (…/mgr/v1/checkpoint)." };

    public Option<int> EnginePort { get; } = new("--engine-port")
    {
        Description = "Engine API port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => EngineApiServerOptions.DefaultPort,
    };

    public Option<string?> JwtSecretPath { get; } = new("--jwt-secret") { Description = "File with the hex-encoded 256-bit Engine API secret." };

    public Option<string> HeadersMemLimit { get; } = new("--headers-mem-limit")
    {
        Description = "Memory for headers in flight, e.g. 64MiB (bytes, KiB, MiB, GiB).", DefaultValueFactory = _ => "64MiB",
    };

    public Option<bool> Backfill { get; } = new("--backfill") { Description = "Also download the headers below the checkpoint, down to genesis." };

    public Option<string?> Preverified { get; } = new("--preverified") { Description = "Preverified-hashes file for --backfill (see spec/chain.md)." };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Checkpoint);
        command.Options.Add(CheckpointFile);
        command.Options.Add(CheckpointUrl);
        command.Options.Add(EnginePort);
        command.Options.Add(JwtSecretPath);
        command.Options.Add(HeadersMemLimit);
        command.Options.Add(Backfill);
        command.Options.Add(Preverified);
    }

    /// <summary>The values given, checked.</summary>
    /// <exception cref="CliInputException">On a bad port or memory size.</exception>
    public ChainSettings Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        int port = parseResult.GetValue(EnginePort);
        if (port is < 0 or > 65535) throw new CliInputException($"--engine-port {port} is not a TCP port");
        bool backfill = parseResult.GetValue(Backfill);
        string? preverified = parseResult.GetValue(Preverified);
        if (preverified is not null && !backfill) throw new CliInputException("--preverified is only used with --backfill");
        return new ChainSettings(parseResult.GetValue(Checkpoint), parseResult.GetValue(CheckpointFile), parseResult.GetValue(CheckpointUrl),
            port, parseResult.GetValue(JwtSecretPath), ParseSize(parseResult.GetValue(HeadersMemLimit)!, "--headers-mem-limit"), backfill, preverified);
    }

    /// <summary>Parses a byte size: digits with an optional unit B, KiB, MiB, GiB (or KB, MB, GB as the same powers of 1,024).</summary>
    /// <exception cref="CliInputException">On anything else, or less than one slice of headers.</exception>
    public static long ParseSize(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> value = text.AsSpan().Trim();
        int digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits])) digits++;
        long multiplier = value[digits..].Trim().ToString().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KIB" or "KB" or "K" => 1L << 10,
            "MIB" or "MB" or "M" => 1L << 20,
            "GIB" or "GB" or "G" => 1L << 30,
            _ => 0,
        };
        if (digits == 0 || multiplier == 0 || !long.TryParse(value[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            || number > long.MaxValue / multiplier)
            throw new CliInputException($"{option} '{text}' is not a size like 64MiB");
        long bytes = number * multiplier;
        long minimum = (long)ReverseHeaderFeed.SliceSize * ReverseHeaderFeed.EstimatedHeaderBytes;
        if (bytes < minimum) throw new CliInputException($"{option} {text} is below one slice of headers ({minimum} bytes)");
        return bytes;
    }
}
