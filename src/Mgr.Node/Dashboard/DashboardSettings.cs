using System.Globalization;
using System.Net;

namespace Mgr.Node.Dashboard;

/// <summary>Where the dashboard listens. Loopback unless <see cref="AllowRemote"/> is set: the page and its JSON
/// show peer ids and traffic and have no authentication.</summary>
public sealed record DashboardSettings
{
    /// <summary>The address and port to listen on; port 0 picks a free port.</summary>
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>Allows a non-loopback <see cref="Endpoint"/> (the node logs a warning when it is used).</summary>
    public bool AllowRemote { get; init; }

    /// <summary>True when <see cref="Endpoint"/> is reachable from other machines.</summary>
    public bool IsRemote => !IPAddress.IsLoopback(Endpoint.Address);

    /// <summary>Parses "127.0.0.1:8080", "[::1]:8080", "localhost:8080" or a bare port "8080" (on 127.0.0.1).</summary>
    /// <exception cref="FormatException">On anything else, or a non-loopback address without <paramref name="allowRemote"/>.</exception>
    public static DashboardSettings Parse(string text, bool allowRemote)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        IPEndPoint endpoint;
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int bare))
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, CheckPort(bare, text));
        }
        else
        {
            int colon = trimmed.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(trimmed.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
                throw new FormatException($"'{text}' is not an address like 127.0.0.1:8080");
            string host = trimmed[..colon];
            if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
            IPAddress address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
                : IPAddress.TryParse(host, out IPAddress? parsed) ? parsed
                : throw new FormatException($"'{text}': '{host}' is not an IP address (use 127.0.0.1, [::1], 0.0.0.0 or a local interface's address)");
            endpoint = new IPEndPoint(address, CheckPort(port, text));
        }
        var settings = new DashboardSettings { Endpoint = endpoint, AllowRemote = allowRemote };
        if (settings.IsRemote && !allowRemote)
            throw new FormatException($"'{text}' is not a loopback address: the dashboard has no authentication; pass --dashboard-allow-remote to expose it anyway");
        return settings;
    }

    private static int CheckPort(int port, string text)
        => port is >= 0 and <= 65535 ? port : throw new FormatException($"'{text}': {port} is not a TCP port");
}
