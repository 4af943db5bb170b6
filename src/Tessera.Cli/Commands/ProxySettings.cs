using Tessera.Cli.Settings;

namespace Tessera.Cli.Commands;

/// <summary>Everything `tessera proxy` was asked to do (the simple case on the command line, or a configuration file).</summary>
internal sealed record ProxySettings
{
    /// <summary>The configuration file (listeners and sites); when set, the per-site options below are not used.</summary>
    public string? ConfigFile { get; init; }
    public Endpoint? Listen { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? AcmeDirectory { get; init; }
    public string? AcmeEmail { get; init; }
    public string? AcmeCaFile { get; init; }
    public string AcmeChallenge { get; init; } = "tls-alpn-01";
    public string? AcmeProfile { get; init; }
    public string? AcmeDnsHook { get; init; }
    public IReadOnlyList<string> ServerNames { get; init; } = [];
    public Endpoint? HttpRedirect { get; init; }
    public Endpoint? Backend { get; init; }
    /// <summary>"tcp" or "http".</summary>
    public string Mode { get; init; } = "tcp";
    public bool ProxyProtocol { get; init; }
    /// <summary>Where to serve Prometheus text on /metrics; null: no metrics endpoint.</summary>
    public Endpoint? Metrics { get; init; }
    public string[] Alpn { get; init; } = [];
    /// <summary>"auto": staple OCSP responses for certificates that name a responder; "off".</summary>
    public string Ocsp { get; init; } = "auto";
    /// <summary>Redis (StackExchange.Redis configuration: "host:port", several hosts, Sentinel) for the fleet's resumption state; null: in process.</summary>
    public string? Redis { get; init; }
    /// <summary>A file holding 64 hex digits: the key sealing what is stored in Redis (the same on every instance); null: stored as is.</summary>
    public string? RedisKeyFile { get; init; }
    /// <summary>How long a session-ticket key seals (--ticket-rotation); null: the file's TicketRotation or 12 hours.</summary>
    public TimeSpan? TicketRotation { get; init; }
    /// <summary>0-RTT data accepted per connection, in bytes; 0: none.</summary>
    public int EarlyData { get; init; }
    public bool Tls12Only { get; init; }
    public bool Tls13Only { get; init; }
    public int MaxConnections { get; init; } = 10_000;
    public int MaxHandshakesPerClient { get; init; } = 64;
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>"text" (TIME LEVEL key=value …) or "json" (one object per line).</summary>
    public string LogFormat { get; init; } = "text";
}
