using System.Net;
using System.Net.Sockets;
using System.Text;
using Mgr.Node.Progress;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Dashboard;

/// <summary>Serves the dashboard: <c>GET /</c> is the self-contained page (<see cref="DashboardPage"/>), <c>GET
/// /api/status</c> the live JSON (<see cref="StatusJson"/>) the page polls every second. Anything else is 404, any
/// other method 405. Responses are never cached and carry a Content-Security-Policy that allows nothing but the
/// page's own inline code and same-origin fetches.</summary>
/// <remarks>Requests are served one at a time on one background task; a snapshot is taken per status request.
/// HttpListener answers only requests whose Host header names the bound address, which also keeps DNS-rebinding
/// pages away from a loopback dashboard.</remarks>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly byte[] Page = Encoding.UTF8.GetBytes(DashboardPage.Html);

    private readonly HttpListener _listener;
    private readonly INodeStatusSource _source;
    private readonly ILogger _logger;
    private readonly RateTracker _rates = new();
    private readonly Task _loop;

    private DashboardServer(HttpListener listener, Uri address, INodeStatusSource source, ILogger logger)
    {
        _listener = listener;
        Address = address;
        _source = source;
        _logger = logger;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The page's URL, with the real port.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening; logs a warning when the address is not loopback.</summary>
    /// <exception cref="DashboardException">When the address cannot be bound.</exception>
    public static DashboardServer Start(DashboardSettings settings, INodeStatusSource source, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        if (settings.IsRemote && !settings.AllowRemote) throw new DashboardException($"{settings.Endpoint} is not a loopback address");
        // HttpListener cannot bind port 0: probe a free port (retrying if another process takes it meanwhile).
        int attempts = settings.Endpoint.Port == 0 ? 5 : 1;
        for (int attempt = 1; ; attempt++)
        {
            int port = settings.Endpoint.Port == 0 ? FreePort(settings.Endpoint.Address) : settings.Endpoint.Port;
            string host = settings.Endpoint.Address.Equals(IPAddress.Any) || settings.Endpoint.Address.Equals(IPAddress.IPv6Any) ? "*"
                : settings.Endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{settings.Endpoint.Address}]" : settings.Endpoint.Address.ToString();
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://{host}:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                if (attempt < attempts) continue;
                throw new DashboardException($"Cannot serve the dashboard on {settings.Endpoint.Address}:{port}: {e.Message}", e);
            }
            string shown = host == "*" ? "127.0.0.1" : host;
            var server = new DashboardServer(listener, new Uri($"http://{shown}:{port}/"), source, logger);
            if (settings.IsRemote) DashboardLog.RemoteWarning(logger, server.Address);
            DashboardLog.Listening(logger, server.Address);
            return server;
        }
    }

    /// <summary>Stops listening and waits for the request in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                await RespondAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                DashboardLog.RequestFailed(_logger, e.Message);
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        HttpListenerResponse response = context.Response;
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Content-Security-Policy"] = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        string path = context.Request.Url?.AbsolutePath ?? "/";
        bool known = path is "/" or "/index.html" or "/api/status";
        if (!known)
        {
            await WriteAsync(response, 404, "text/plain; charset=utf-8", "not found\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }
        if (context.Request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.Headers["Allow"] = "GET, HEAD";
            await WriteAsync(response, 405, "text/plain; charset=utf-8", "method not allowed\n"u8.ToArray()).ConfigureAwait(false);
            return;
        }
        if (path == "/api/status")
        {
            NodeStatusSnapshot snapshot;
            try
            {
                snapshot = _source.Snapshot();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failing status source must not take the dashboard (or the node) down.
                DashboardLog.RequestFailed(_logger, e.Message);
                await WriteAsync(response, 503, "text/plain; charset=utf-8", "status unavailable\n"u8.ToArray()).ConfigureAwait(false);
                return;
            }
            byte[] json = StatusJson.ToUtf8(snapshot, _rates.Observe(snapshot));
            await WriteAsync(response, 200, "application/json; charset=utf-8", json, context.Request.HttpMethod == "HEAD").ConfigureAwait(false);
            return;
        }
        await WriteAsync(response, 200, "text/html; charset=utf-8", Page, context.Request.HttpMethod == "HEAD").ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, byte[] body, bool headOnly = false)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        if (!headOnly) await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        response.Close();
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
