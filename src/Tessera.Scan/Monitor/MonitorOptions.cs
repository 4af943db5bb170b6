namespace Tessera.Scan.Monitor;

/// <summary>How a <see cref="TlsMonitor"/> schedules its probes.</summary>
public sealed record MonitorOptions
{
    /// <summary>How often each target is probed unless it says otherwise (blackbox_exporter users scrape about as often).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long one probe (connect and handshake) may take; a target that does not answer in time fails this probe.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Probes in flight at once, whatever the number of targets: what bounds the monitor's sockets and buffers.</summary>
    public int Concurrency { get; init; } = 32;
    /// <summary>How often a target with <see cref="MonitorTarget.Scan"/> is scanned for its grade.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromDays(1);
    /// <summary>The clock certificates and staples are judged by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>The jitter's randomness (a fixed seed makes a schedule reproducible).</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Throws when a value makes no schedule.</summary>
    public void Validate()
    {
        if (Interval < TimeSpan.FromSeconds(1)) throw new ArgumentOutOfRangeException(nameof(Interval), "the interval must be at least one second");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), "the timeout must be positive");
        if (Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(Concurrency), "at least one probe must be allowed at a time");
        if (ScanInterval < TimeSpan.FromMinutes(1)) throw new ArgumentOutOfRangeException(nameof(ScanInterval), "scans may run at most once a minute");
    }
}
