using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.AspNetCore;

/// <summary>
/// What only Tessera knows about a connection, as a connection feature: <c>HttpContext.Features.Get&lt;ITesseraTlsFeature&gt;()</c>.
/// </summary>
public interface ITesseraTlsFeature
{
    ProtocolVersion Version { get; }
    CipherSuite CipherSuite { get; }
    /// <summary>Null for a resumed TLS 1.2 session (no key exchange).</summary>
    NamedGroup? KeyExchangeGroup { get; }
    bool WasResumed { get; }
    bool HelloRetryRequested { get; }
    /// <summary>Null when the client offered no 0-RTT data; otherwise whether it was accepted.</summary>
    bool? EarlyDataAccepted { get; }
    /// <summary>False for a TLS 1.2 session without the extended master secret (RFC 7627): no exporters then.</summary>
    bool ExtendedMasterSecret { get; }
    string? ServerName { get; }
    /// <summary>Every handshake message and key change, with decoded fields and timings.</summary>
    IReadOnlyList<HandshakeEvent> HandshakeEvents { get; }
    /// <summary>The connection itself, for anything else (read-only use: Kestrel owns its I/O).</summary>
    TlsConnection Connection { get; }
    /// <summary>RFC 8446 §7.5 / RFC 5705 keying material exporter.</summary>
    byte[] ExportKeyingMaterial(string label, ReadOnlySpan<byte> context, int length);
}
