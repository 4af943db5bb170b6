using Tessera.Wire;

namespace Tessera.Resumption;

/// <summary>
/// What a client keeps to resume a session: for TLS 1.3 the opaque ticket and the PSK it stands for; for TLS 1.2
/// the master secret with a ticket (RFC 5077) or a session ID; and the facts the resumed connection must agree
/// with (suite, ALPN, server name). Secret: stores must not write it out in clear.
/// </summary>
public sealed record ClientSession
{
    /// <summary>The version the session was made with; it resumes only at that version.</summary>
    public ProtocolVersion Version { get; init; } = ProtocolVersion.Tls13;
    /// <summary>TLS 1.2 session-ID resumption: the ID the server assigned (empty with tickets).</summary>
    public byte[] SessionId { get; init; } = [];
    /// <summary>The server name the session was made with; it is offered only to the same name.</summary>
    public required string ServerName { get; init; }
    /// <summary>The suite negotiated; a resumption needs one with the same hash (TLS 1.3) or the same suite (TLS 1.2).</summary>
    public required CipherSuite Suite { get; init; }
    /// <summary>The ticket as the server sent it (opaque to the client; empty for TLS 1.2 session-ID resumption).</summary>
    public required byte[] Ticket { get; init; }
    /// <summary>TLS 1.3: the resumption PSK. TLS 1.2: the master secret.</summary>
    public required byte[] Psk { get; init; }
    /// <summary>When the ticket arrived (its age is counted from here).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>ticket_lifetime: how long the server promised to accept it, in seconds.</summary>
    public required uint LifetimeSeconds { get; init; }
    /// <summary>ticket_age_add (RFC 8446 §4.6.1), which hides the ticket's age from observers.</summary>
    public required uint AgeAdd { get; init; }
    /// <summary>max_early_data_size from the ticket's early_data extension; 0: no 0-RTT with this ticket.</summary>
    public uint MaxEarlyData { get; init; }
    /// <summary>The ALPN protocol of the original connection; 0-RTT data may only be sent for the same one.</summary>
    public string? ApplicationProtocol { get; init; }
    /// <summary>The server's certificate chain from the full handshake (DER), so a resumed connection can still show it.</summary>
    public IReadOnlyList<byte[]> PeerCertificates { get; init; } = [];

    /// <summary>When the ticket stops being worth offering.</summary>
    public DateTimeOffset ExpiresAt => ReceivedAt.AddSeconds(LifetimeSeconds);

    /// <summary>RFC 8446 §4.2.11.1: the ticket age in milliseconds plus ticket_age_add, modulo 2^32.</summary>
    public uint ObfuscatedAge(DateTimeOffset now) => unchecked((uint)Math.Max(0, (long)(now - ReceivedAt).TotalMilliseconds) + AgeAdd);
}
