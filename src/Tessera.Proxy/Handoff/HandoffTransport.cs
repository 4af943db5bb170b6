using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Tessera.Proxy.Handoff;

/// <summary>
/// A Kestrel transport whose connections are accepted elsewhere: the proxy's listener accepts the socket, reads the
/// ClientHello to choose a site by SNI, and when the site is in http mode hands the connection (with the bytes it has
/// read) to Kestrel through <see cref="Offer"/>. Kestrel then runs its connection middleware (Tessera's handshake)
/// and HTTP on it as on a connection of its own. Registered as a listener factory that binds only
/// <see cref="HandoffEndPoint"/>, so Kestrel's socket transport still serves every other endpoint.
/// </summary>
internal sealed class HandoffTransport(HandoffEndPoint endPoint) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener
{
    private readonly Channel<ConnectionContext> _pending = Channel.CreateUnbounded<ConnectionContext>();

    public EndPoint EndPoint => endPoint;

    /// <summary>Gives Kestrel a connection; false when Kestrel has stopped accepting (the caller closes the connection).</summary>
    public bool Offer(ConnectionContext connection) => _pending.Writer.TryWrite(connection);

    public bool CanBind(EndPoint endpoint) => endpoint is HandoffEndPoint h && h.Name == endPoint.Name;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        CanBind(endpoint) ? ValueTask.FromResult<IConnectionListener>(this) : throw new NotSupportedException($"this transport binds only {endPoint}");

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pending.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;   // unbound: Kestrel's accept loop ends
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _pending.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        // Connections offered but never accepted are closed here, not leaked.
        while (_pending.Reader.TryRead(out var left)) await left.DisposeAsync().ConfigureAwait(false);
    }
}
