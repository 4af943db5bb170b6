namespace Tessera.Scan;

/// <summary>What resuming a session showed, per mechanism; null members were not tested, and <see cref="Notes"/> say why.</summary>
public sealed record ResumptionReport
{
    /// <summary>TLS 1.3 NewSessionTickets received after one full handshake.</summary>
    public int? Tls13Tickets { get; init; }
    /// <summary>The lifetime the first TLS 1.3 ticket gave, in seconds.</summary>
    public uint? Tls13TicketLifetimeSeconds { get; init; }
    /// <summary>max_early_data_size the tickets allow (0: no 0-RTT).</summary>
    public uint? Tls13MaxEarlyData { get; init; }
    /// <summary>Whether a TLS 1.3 ticket resumed the session.</summary>
    public bool? Tls13Resumed { get; init; }
    /// <summary>Whether 0-RTT data sent with a ticket that allows it was accepted.</summary>
    public bool? EarlyDataAccepted { get; init; }
    /// <summary>The same ticket with the same early data a second time: RFC 8446 §8 says a server must not accept it twice.</summary>
    public bool? ReplayedEarlyDataAccepted { get; init; }
    /// <summary>Whether a TLS 1.2 handshake got a session ticket (RFC 5077).</summary>
    public bool? Tls12TicketIssued { get; init; }
    /// <summary>The lifetime hint of that ticket, in seconds.</summary>
    public uint? Tls12TicketLifetimeSeconds { get; init; }
    /// <summary>Whether the TLS 1.2 ticket resumed the session.</summary>
    public bool? Tls12TicketResumed { get; init; }
    /// <summary>Whether the TLS 1.2 session ID resumed the session (without a ticket).</summary>
    public bool? Tls12SessionIdResumed { get; init; }
    /// <summary>ALPN protocols the server agreed to, each offered alone.</summary>
    public List<string> Alpn { get; init; } = [];
    /// <summary>Why a mechanism was not tested, or what was odd about it.</summary>
    public List<string> Notes { get; init; } = [];
}
