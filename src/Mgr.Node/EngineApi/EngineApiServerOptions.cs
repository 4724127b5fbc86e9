using System.Net;

namespace Mgr.Node.EngineApi;

/// <summary>Where and how the Engine API listens.</summary>
public sealed record EngineApiServerOptions
{
    /// <summary>The spec's default Engine API port.</summary>
    public const int DefaultPort = 8551;

    /// <summary>Address to bind; loopback by default, as the Engine API must not face the internet.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Largest request body accepted. A newPayload of a full 36M-gas block is about 5 MB of hex;
    /// 16 MiB leaves room and still bounds what one request can make us allocate.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Requests handled at once; more get HTTP 503 (a consensus client sends one at a time).</summary>
    public int MaxConcurrentRequests { get; init; } = 16;

    /// <summary>How long a client may take to send its body before the connection is dropped.</summary>
    public TimeSpan RequestReadTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
