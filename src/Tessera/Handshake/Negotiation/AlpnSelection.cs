using Tessera.Connection;
using Tessera.Diagnostics;

using Tessera.Handshake.Server13;

namespace Tessera.Handshake.Negotiation;

/// <summary>The server's ALPN choice (RFC 7301 §3.2), the same in TLS 1.3 and TLS 1.2: its own order of preference.</summary>
internal static class AlpnSelection
{
    public static string? Choose(TlsServerOptions options, ClientHelloOffer offer)
    {
        if (!offer.HasAlpn || options.ApplicationProtocols.Count == 0) return null;
        var offered = offer.Alpn;
        foreach (var p in options.ApplicationProtocols.Each())
            if (offered.Contains(p)) return p;
        // RFC 7301 §3.2: no overlap is no_application_protocol.
        throw new TlsException(Wire.AlertDescription.NoApplicationProtocol,
            $"no application protocol in common: the client offered {PeerText.List(offered.ToList())}; the server accepts {string.Join(", ", options.ApplicationProtocols)}");
    }
}
