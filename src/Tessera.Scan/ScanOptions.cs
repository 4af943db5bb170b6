using Tessera.Certificates;

namespace Tessera.Scan;

/// <summary>What to scan and how hard.</summary>
public sealed record ScanOptions
{
    /// <summary>The server to scan.</summary>
    public required HostPort Target { get; init; }
    /// <summary>SNI and the name the certificate is checked against; defaults to the target host.</summary>
    public string? ServerName { get; init; }
    /// <summary>Connections open at once.</summary>
    public int Concurrency { get; init; } = 8;
    /// <summary>How long one probe may take before it counts as no answer.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The roots the chain is judged against (--ca, or the system store).</summary>
    public TrustStore Trust { get; init; } = TrustStore.System;
    /// <summary>The clock certificates and staples are judged by.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;
}
