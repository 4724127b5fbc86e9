using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Mgr.Protocol.Tests.Interop;

/// <summary>A js-libp2p peer (tests/interop/libp2p/peer.mjs under Node 22) in a child process, whose JSON-line
/// events are collected for assertions. Disposing closes its stdin and kills the process tree.</summary>
public sealed class JsLibp2pPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly List<string> _stderr = [];
    private readonly Task _stdoutPump;

    private JsLibp2pPeer(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data);
        };
        _process.BeginErrorReadLine();
        _stdoutPump = PumpAsync();
    }

    /// <summary>Starts a peer with a fresh key of <paramref name="keyType"/> (secp256k1 or ed25519); with
    /// <paramref name="dial"/> it connects there and pings it.</summary>
    public static JsLibp2pPeer Start(string keyType, string? dial = null, int pings = 3)
    {
        InteropPaths paths = InteropPaths.Require();
        var start = new ProcessStartInfo(paths.Node)
        {
            WorkingDirectory = paths.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(paths.InteropDirectory, "libp2p", "peer.mjs"));
        start.ArgumentList.Add("--key");
        start.ArgumentList.Add(keyType);
        start.ArgumentList.Add("--pings");
        start.ArgumentList.Add(pings.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (dial is not null)
        {
            start.ArgumentList.Add("--dial");
            start.ArgumentList.Add(dial);
        }
        return new JsLibp2pPeer(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>Waits for the first event named <paramref name="name"/> that satisfies <paramref name="match"/>
    /// (events seen earlier count too). Fails with the peer's output when it does not come in time.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        lock (_seen)
        {
            foreach (JsonElement seen in _seen)
            {
                if (Matches(seen, name, match)) return seen;
            }
        }
        try
        {
            while (await _events.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_events.Reader.TryRead(out JsonElement next))
                {
                    if (Matches(next, name, match)) return next;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"js-libp2p peer: no '{name}' event within {timeout.TotalSeconds} s.\n{Transcript()}");
    }

    /// <summary>Every event and stderr line so far, for failure messages.</summary>
    public string Transcript()
    {
        string events, errors;
        lock (_seen) events = string.Join('\n', _seen.Select(e => e.GetRawText()));
        lock (_stderr) errors = string.Join('\n', _stderr.TakeLast(40));
        return $"events:\n{events}\nstderr:\n{errors}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
        }
        finally
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            await _stdoutPump;
            _process.Dispose();
        }
    }

    private static bool Matches(JsonElement element, string name, Func<JsonElement, bool>? match) =>
        element.TryGetProperty("event", out JsonElement kind) && kind.GetString() == name && (match is null || match(element));

    private async Task PumpAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                JsonElement element;
                try
                {
                    element = JsonDocument.Parse(line).RootElement.Clone();
                }
                catch (JsonException)
                {
                    lock (_stderr) _stderr.Add("stdout (not JSON): " + line);
                    continue;
                }
                lock (_seen) _seen.Add(element);
                _events.Writer.TryWrite(element);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
