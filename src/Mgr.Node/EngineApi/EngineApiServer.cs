using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Node.EngineApi;

/// <summary>The Engine API over HTTP: JSON-RPC 2.0 POSTs authenticated by JWT (authentication.md), plus
/// optional unauthenticated GET routes (<see cref="IHttpGetRoute"/>).</summary>
/// <remarks>
/// Built on <see cref="HttpListener"/> (no ASP.NET). Requests are read concurrently (at most
/// <see cref="EngineApiServerOptions.MaxConcurrentRequests"/>, more get 503) but dispatched one at a time
/// in arrival order, as common.md requires for forkchoice updates. Bodies are bounded
/// (<see cref="EngineApiServerOptions.MaxRequestBytes"/>, more gets 413) and read into pooled buffers.
/// A bad token gets HTTP 401 with a JSON-RPC error body; the token and the secret are never logged.
/// Dispose stops listening and waits for requests in progress.
/// </remarks>
public sealed partial class EngineApiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly JsonRpcDispatcher _dispatcher;
    private readonly JwtValidator _validator;
    private readonly EngineApiServerOptions _options;
    private readonly IReadOnlyList<IHttpGetRoute> _routes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _dispatchOrder = new(1, 1);
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private long _nextRequestId;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    private EngineApiServer(HttpListener listener, Uri address, JsonRpcDispatcher dispatcher, JwtValidator validator,
        EngineApiServerOptions options, IReadOnlyList<IHttpGetRoute> routes, ILogger logger)
    {
        _listener = listener;
        Address = address;
        _dispatcher = dispatcher;
        _validator = validator;
        _options = options;
        _routes = routes;
        _logger = logger;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The base URL the server listens on, e.g. <c>http://127.0.0.1:8551/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Binds and starts serving.</summary>
    /// <exception cref="HttpListenerException">When the port cannot be bound.</exception>
    public static EngineApiServer Start(IJsonRpcTarget target, JwtValidator validator, EngineApiServerOptions options,
        IReadOnlyList<IHttpGetRoute>? routes = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (int attempt = 0; ; attempt++)
        {
            int port = options.Port == 0 ? FreePort(options.Address) : options.Port;
            string host = options.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Address}]" : options.Address.ToString();
            var address = new Uri($"http://{host}:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(address.ToString());
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (options.Port == 0 && attempt < 5)
            {
                listener.Close();
                continue; // the free port was taken between probing and binding: probe again
            }
            return new EngineApiServer(listener, address, new JsonRpcDispatcher(target), validator, options,
                routes ?? [], logger ?? NullLogger.Instance);
        }
    }

    private static int FreePort(IPAddress address)
    {
        var probe = new TcpListener(address, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // listener closed
            }
            if (_inFlight.Count >= _options.MaxConcurrentRequests)
            {
                Reply(context, HttpStatusCode.ServiceUnavailable, ErrorBody(JsonRpcErrorCodes.ServerError, "too many concurrent requests"));
                continue;
            }
            long id = ++_nextRequestId;
            _inFlight[id] = HandleAsync(context, id);
        }
    }

    // Removes itself from _inFlight when done; the first await yields so the entry exists by then.
    private async Task HandleAsync(HttpListenerContext context, long id)
    {
        await Task.Yield();
        try
        {
            HttpListenerRequest request = context.Request;
            if (request.HttpMethod == "GET")
            {
                ServeGet(context);
                return;
            }
            if (request.HttpMethod != "POST")
            {
                Reply(context, HttpStatusCode.MethodNotAllowed, ErrorBody(JsonRpcErrorCodes.InvalidRequest, "use POST for JSON-RPC"));
                return;
            }
            JwtError jwt = _validator.ValidateAuthorization(request.Headers["Authorization"]);
            if (jwt != JwtError.None)
            {
                LogRejectedToken(_logger, jwt);
                Reply(context, HttpStatusCode.Unauthorized, ErrorBody(JsonRpcErrorCodes.ServerError, $"JWT rejected: {jwt}"));
                return;
            }
            if (request.ContentLength64 > _options.MaxRequestBytes)
            {
                Reply(context, HttpStatusCode.RequestEntityTooLarge,
                    ErrorBody(JsonRpcErrorCodes.InvalidRequest, $"request body exceeds {_options.MaxRequestBytes} bytes"));
                return;
            }
            await ReadAndDispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            LogConnectionFailed(_logger, e);
            context.Response.Abort();
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    private async Task ReadAndDispatchAsync(HttpListenerContext context)
    {
        int limit = _options.MaxRequestBytes;
        int expected = context.Request.ContentLength64 > 0 ? (int)context.Request.ContentLength64 : 64 * 1024;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(expected, limit) + 1);
        try
        {
            int length = 0;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                timeout.CancelAfter(_options.RequestReadTimeout);
                using CancellationTokenRegistration abort = timeout.Token.Register(static c => ((HttpListenerContext)c!).Response.Abort(), context);
                Stream body = context.Request.InputStream;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > limit) break;
                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    int read = await body.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                }
            }
            if (length > limit)
            {
                Reply(context, HttpStatusCode.RequestEntityTooLarge, ErrorBody(JsonRpcErrorCodes.InvalidRequest, $"request body exceeds {limit} bytes"));
                return;
            }
            byte[]? response;
            await _dispatchOrder.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                response = _dispatcher.Handle(buffer.AsMemory(0, length));
            }
            finally
            {
                _dispatchOrder.Release();
            }
            if (response is null)
            {
                context.Response.StatusCode = (int)HttpStatusCode.NoContent;
                context.Response.Close();
            }
            else
            {
                Reply(context, HttpStatusCode.OK, response);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ServeGet(HttpListenerContext context)
    {
        string path = context.Request.Url?.AbsolutePath ?? "/";
        foreach (IHttpGetRoute route in _routes)
        {
            if (!string.Equals(route.Path, path, StringComparison.Ordinal)) continue;
            byte[]? body = route.Respond();
            if (body is null) Reply(context, HttpStatusCode.NotFound, ErrorBody(JsonRpcErrorCodes.ServerError, "nothing to serve yet"));
            else Reply(context, HttpStatusCode.OK, body);
            return;
        }
        Reply(context, HttpStatusCode.NotFound, ErrorBody(JsonRpcErrorCodes.InvalidRequest, "no such resource"));
    }

    private static byte[] ErrorBody(int code, string detail)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonRpcDispatcher.WriteError(writer, default, code, detail);
        }
        return output.WrittenSpan.ToArray();
    }

    private static void Reply(HttpListenerContext context, HttpStatusCode status, byte[] body)
    {
        try
        {
            HttpListenerResponse response = context.Response;
            response.StatusCode = (int)status;
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            context.Response.Abort(); // the client went away
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
        _stopping.Dispose();
        _dispatchOrder.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Engine API request refused: JWT {Reason}")]
    private static partial void LogRejectedToken(ILogger logger, JwtError reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Engine API connection failed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception error);
}
