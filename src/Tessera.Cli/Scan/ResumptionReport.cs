namespace Tessera.Cli.Scan;

/// <summary>What resuming a session showed, per mechanism; null members were not tested, and <see cref="Note"/> says why.</summary>
internal sealed record ResumptionReport
{
    /// <summary>TLS 1.3 NewSessionTickets received after one full handshake.</summary>
    public int? Tls13Tickets { get; init; }
    public uint? Tls13TicketLifetimeSeconds { get; init; }
    /// <summary>max_early_data_size the tickets allow (0: no 0-RTT).</summary>
    public uint? Tls13MaxEarlyData { get; init; }
    public bool? Tls13Resumed { get; init; }
    public bool? EarlyDataAccepted { get; init; }
    /// <summary>The same ticket with the same early data a second time: RFC 8446 §8 says a server must not accept it twice.</summary>
    public bool? ReplayedEarlyDataAccepted { get; init; }
    public bool? Tls12TicketIssued { get; init; }
    public uint? Tls12TicketLifetimeSeconds { get; init; }
    public bool? Tls12TicketResumed { get; init; }
    public bool? Tls12SessionIdResumed { get; init; }
    /// <summary>ALPN protocols the server agreed to, each offered alone.</summary>
    public List<string> Alpn { get; init; } = [];
    public List<string> Notes { get; init; } = [];
}
