using System.Net;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>One listener of the proxy, in either mode: started, reloaded, run until stopped, drained.</summary>
public interface IProxyListener : IAsyncDisposable
{
    /// <summary>What the listener was built with.</summary>
    ProxyListenerOptions Options { get; }

    /// <summary>The TLS settings new handshakes use: <see cref="ProxyListenerOptions.Tls"/> until <see cref="Reload"/> replaces them.</summary>
    TlsServerOptions Tls { get; }

    /// <summary>Where the listener listens, once <see cref="Start"/> has bound it.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections being served now.</summary>
    int ActiveConnections { get; }

    /// <summary>Binds the listening socket (so a port that is taken fails here, before anything runs).</summary>
    void Start();

    /// <summary>
    /// New handshakes use <paramref name="tls"/>; connections already established keep what they started with. The
    /// options are validated first: an invalid set is refused (<see cref="ArgumentException"/>) and the current one stays.
    /// </summary>
    void Reload(TlsServerOptions tls);

    /// <summary>
    /// Serves until <paramref name="stop"/> is cancelled, then stops accepting and lets the connections in flight finish
    /// for up to <paramref name="drain"/>; whatever is left after that is cut.
    /// </summary>
    Task RunAsync(TimeSpan drain, CancellationToken stop);
}

/// <summary>Builds the listener for a mode.</summary>
public static class ProxyListener
{
    /// <summary>A <see cref="TcpProxy"/> or an <see cref="HttpProxy"/>, as <paramref name="options"/> says.</summary>
    /// <param name="options">The listener.</param>
    /// <param name="connections">Told about every connection when it ends.</param>
    /// <param name="requests">Http mode: told about every request when it ends.</param>
    public static IProxyListener Create(ProxyListenerOptions options, Action<ProxyConnectionRecord>? connections = null, Action<ProxyRequestRecord>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode == ProxyMode.Http ? new HttpProxy(options, connections, requests) : new TcpProxy(options, connections);
    }
}
