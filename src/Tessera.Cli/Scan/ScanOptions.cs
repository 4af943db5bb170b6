using Tessera.Certificates;
using Tessera.Cli.Settings;

namespace Tessera.Cli.Scan;

/// <summary>What to scan and how hard.</summary>
internal sealed record ScanOptions
{
    public required Endpoint Target { get; init; }
    /// <summary>SNI and the name the certificate is checked against; defaults to the target host.</summary>
    public string? ServerName { get; init; }
    /// <summary>Connections open at once.</summary>
    public int Concurrency { get; init; } = 8;
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The roots the chain is judged against (--ca, or the system store).</summary>
    public TrustStore Trust { get; init; } = TrustStore.System;
    /// <summary>The clock certificates and staples are judged by.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;
}
