using System.Net;
using System.Net.Sockets;

namespace Mgr.Node.Demo;

/// <summary>Free TCP ports on 127.0.0.1, found by binding port 0. A port is free when returned; another process could
/// take it before the child binds it, in which case the child fails to start and the demo reports its log.</summary>
public static class FreePort
{
    /// <summary><paramref name="count"/> distinct free ports (all held open until every one is chosen).</summary>
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (TcpListener listener in listeners) listener.Stop();
        }
    }
}
