#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using Tessera.Wire;

namespace Tessera.Resumption;

/// <summary>
/// What a client keeps to resume a session: for TLS 1.3 the opaque ticket and the PSK it stands for; for TLS 1.2
/// the master secret with a ticket (RFC 5077) or a session ID; and the facts the resumed connection must agree
/// with (suite, ALPN, server name). Secret: stores must not write it out in clear.
/// </summary>
public sealed record ClientSession
{
    public ProtocolVersion Version { get; init; } = ProtocolVersion.Tls13;
    /// <summary>TLS 1.2 session-ID resumption: the ID the server assigned (empty with tickets).</summary>
    public byte[] SessionId { get; init; } = [];
    public required string ServerName { get; init; }
    public required CipherSuite Suite { get; init; }
    public required byte[] Ticket { get; init; }
    /// <summary>TLS 1.3: the resumption PSK. TLS 1.2: the master secret.</summary>
    public required byte[] Psk { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required uint LifetimeSeconds { get; init; }
    public required uint AgeAdd { get; init; }
    public uint MaxEarlyData { get; init; }
    public string? ApplicationProtocol { get; init; }
    /// <summary>The server's certificate chain from the full handshake (DER), so a resumed connection can still show it.</summary>
    public IReadOnlyList<byte[]> PeerCertificates { get; init; } = [];

    public DateTimeOffset ExpiresAt => ReceivedAt.AddSeconds(LifetimeSeconds);

    /// <summary>RFC 8446 §4.2.11.1: the ticket age in milliseconds plus ticket_age_add, modulo 2^32.</summary>
    public uint ObfuscatedAge(DateTimeOffset now) => unchecked((uint)Math.Max(0, (long)(now - ReceivedAt).TotalMilliseconds) + AgeAdd);
}
