using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mgr.Node.Tests.Telemetry;

/// <summary>A minimal OTLP/HTTP receiver for tests: an HttpListener on 127.0.0.1 that answers every POST with 200 and
/// an empty ExportMetricsServiceResponse and hands the request bodies to the test.</summary>
internal sealed class OtlpHttpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Channel<(string Path, string ContentType, byte[] Body)> _requests = Channel.CreateUnbounded<(string, string, byte[])>();
    private readonly Task _loop;

    public OtlpHttpCollector()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                BaseAddress = new Uri($"http://127.0.0.1:{port}");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>The next request received (path, content type, body); fails the test after <paramref name="timeout"/>.</summary>
    public async Task<(string Path, string ContentType, byte[] Body)> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _requests.Reader.ReadAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Writer.TryWrite((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
