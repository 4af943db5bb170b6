using Tessera.Wire;

namespace Tessera.Resumption;

/// <summary>
/// What a client keeps to resume a TLS 1.3 session: the opaque ticket, the PSK it stands for, and the facts the
/// resumed connection must agree with (suite, ALPN, server name). Secret: stores must not write it out in clear.
/// </summary>
public sealed record ClientSession
{
    public required string ServerName { get; init; }
    public required CipherSuite Suite { get; init; }
    public required byte[] Ticket { get; init; }
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
