using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.AspNetCore;

/// <summary>
/// What only Tessera knows about a connection, as a connection feature: <c>HttpContext.Features.Get&lt;ITesseraTlsFeature&gt;()</c>.
/// </summary>
public interface ITesseraTlsFeature
{
/// <summary>TLS 1.3 or TLS 1.2.</summary>
    ProtocolVersion Version { get; }
/// <summary>The negotiated cipher suite.</summary>
    CipherSuite CipherSuite { get; }
    /// <summary>Null for a resumed TLS 1.2 session (no key exchange).</summary>
    NamedGroup? KeyExchangeGroup { get; }
/// <summary>True when the handshake resumed an earlier session.</summary>
    bool WasResumed { get; }
/// <summary>True when the server asked the client for another key share (one extra round trip).</summary>
    bool HelloRetryRequested { get; }
    /// <summary>Null when the client offered no 0-RTT data; otherwise whether it was accepted.</summary>
    bool? EarlyDataAccepted { get; }
    /// <summary>False for a TLS 1.2 session without the extended master secret (RFC 7627): no exporters then.</summary>
    bool ExtendedMasterSecret { get; }
/// <summary>The SNI name the client sent, or null.</summary>
    string? ServerName { get; }
    /// <summary>
    /// Every handshake message and key change, with decoded fields and timings; empty unless the server options set
    /// <see cref="TlsOptions.RecordHandshakeEvents"/> (a trace per connection costs memory a busy server should not pay unasked).
    /// </summary>
    IReadOnlyList<HandshakeEvent> HandshakeEvents { get; }
    /// <summary>The connection itself, for anything else (read-only use: Kestrel owns its I/O).</summary>
    TlsConnection Connection { get; }
    /// <summary>RFC 8446 §7.5 / RFC 5705 keying material exporter.</summary>
    byte[] ExportKeyingMaterial(string label, ReadOnlySpan<byte> context, int length);
}
