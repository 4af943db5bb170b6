using Tessera.Connection;
using Tessera.Resumption;

namespace Tessera.Proxy.Hosting;

/// <summary>One site's resumption state, as <see cref="ProxyResumption.For"/> keeps it across reloads.</summary>
/// <param name="Tickets">Seals and opens the site's session tickets.</param>
/// <param name="Sessions">The site's TLS 1.2 session-ID cache.</param>
/// <param name="AntiReplay">Remembers the site's 0-RTT flights, so none is accepted twice.</param>
/// <param name="TicketLifetime">The lifetime its tickets promise.</param>
public sealed record ProxySiteResumption(ITicketProtector Tickets, IServerSessionStore Sessions, IAntiReplayStore AntiReplay, TimeSpan TicketLifetime)
{
    /// <summary><paramref name="tls"/> resuming with this state.</summary>
    public TlsServerOptions Apply(TlsServerOptions tls) =>
        tls with { TicketProtector = Tickets, SessionIdCache = Sessions, AntiReplay = AntiReplay, TicketLifetime = TicketLifetime };
}
