using Tessera.Cli.Settings;

namespace Tessera.Cli.Commands;

internal enum ServeMode { Echo, Http }

/// <summary>Everything `tessera serve` was asked to do.</summary>
internal sealed record ServeSettings
{
    public Endpoint Listen { get; init; } = new("127.0.0.1", 8443);
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public ServeMode Mode { get; init; } = ServeMode.Echo;
    public string[] Alpn { get; init; } = [];
    public string ClientAuth { get; init; } = "none";
    public string? ClientCa { get; init; }
    public bool Tls12Only { get; init; }
    public bool Tls13Only { get; init; }
    public bool Tickets { get; init; } = true;
    public uint EarlyData { get; init; }
    public string? KeyLogFile { get; init; }
    /// <summary>Key exchange groups by name, comma-separated, in preference order; null keeps the server's defaults.</summary>
    public string? Groups { get; init; }
    /// <summary>Log debug lines too.</summary>
    public bool Verbose { get; init; }
    /// <summary>Stop after this many connections (tests); null serves until cancelled.</summary>
    public int? MaxConnections { get; init; }
}
