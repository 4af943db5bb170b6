using System.Diagnostics.Metrics;

namespace Tessera.Scan.Monitor;

/// <summary>
/// A monitor's instruments on meter <c>Tessera.Monitor</c>, every one labelled by <c>target</c> (the configured name,
/// so the label set is as bounded as the configuration). Named for Prometheus as an OpenTelemetry exporter writes them:
/// dots become underscores, seconds get <c>_seconds</c>, counters <c>_total</c>. Gauges report the latest probe only: a
/// failed probe reports success 0 and no connection facts (as blackbox_exporter does), so an expiry alert never rests on
/// an old answer. Label values are bounded words: versions, suite and group names, alert names, staple statuses.
/// </summary>
public sealed class MonitorMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Tessera.Monitor";

    private static readonly double[] HandshakeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly TlsMonitor _monitor;
    private readonly Meter _meter;
    private readonly Histogram<double> _handshake;
    private readonly Counter<long> _probes;

    /// <summary>Publishes <paramref name="monitor"/>'s results until disposed.</summary>
    public MonitorMetrics(TlsMonitor monitor)
    {
        _monitor = monitor;
        _meter = new Meter(MeterName, typeof(MonitorMetrics).Assembly.GetName().Version?.ToString());
        _handshake = _meter.CreateHistogram("tessera.monitor.handshake.duration", "s", "TLS handshake duration of each probe (after the TCP connection)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HandshakeBuckets });
        _probes = _meter.CreateCounter<long>("tessera.monitor.probes", null, "Probes run, by result (success, or the failure's kind)");
        _meter.CreateObservableGauge("tessera.monitor.probe.success", () => Each(s => s.Latest is { } r ? r.Success ? 1 : 0 : null), null, "1 when the latest probe completed a handshake, 0 when it failed");
        _meter.CreateObservableGauge("tessera.monitor.probe.duration", () => Each(s => s.Latest?.Duration.TotalSeconds), "s", "Connect and handshake of the latest probe");
        _meter.CreateObservableGauge("tessera.monitor.probe.timestamp", () => Each(s => s.Latest?.At.ToUnixTimeMilliseconds() / 1000.0), "s", "When the latest probe started (Unix time)");
        _meter.CreateObservableGauge("tessera.monitor.tls.info", ObserveInfo, null, "1, labelled with the latest probe's version, cipher suite, group and ALPN protocol");
        _meter.CreateObservableGauge("tessera.monitor.certificate.expiry", () => Each(s => Until(s.Latest?.LeafNotAfter)), "s", "Seconds until the leaf certificate expires (negative: expired)");
        _meter.CreateObservableGauge("tessera.monitor.certificate.expiry_timestamp", () => Each(s => Unix(s.Latest?.LeafNotAfter)), "s", "When the leaf certificate expires (Unix time)");
        _meter.CreateObservableGauge("tessera.monitor.certificate.not_before_timestamp", () => Each(s => Unix(s.Latest?.LeafNotBefore)), "s", "When the leaf certificate becomes valid (Unix time)");
        _meter.CreateObservableGauge("tessera.monitor.chain.expiry", () => Each(s => Until(s.Latest?.ChainNotAfter)), "s", "Seconds until the earliest-expiring certificate the server sent expires");
        _meter.CreateObservableGauge("tessera.monitor.chain.earliest_expiry_timestamp", () => Each(s => Unix(s.Latest?.ChainNotAfter)), "s", "When the earliest-expiring certificate the server sent expires (Unix time, as blackbox_exporter's probe_ssl_earliest_cert_expiry)");
        _meter.CreateObservableGauge("tessera.monitor.chain.trusted", ObserveTrusted, null, "1 when the chain verifies under the target's roots and profile, 0 when not (reason: the verifier's alert)");
        _meter.CreateObservableGauge("tessera.monitor.certificate.name_match", () => Each(s => s.Latest?.NameMatches is { } m ? m ? 1 : 0 : null), null, "1 when the leaf is for the target's host name");
        _meter.CreateObservableGauge("tessera.monitor.ocsp.staple.present", () => Each(s => s.Latest is { Success: true } r ? r.Staple is null ? 0 : 1 : null), null, "1 when the server stapled an OCSP response");
        _meter.CreateObservableGauge("tessera.monitor.ocsp.staple.age", () => Each(s => s.Latest?.Staple?.ThisUpdate is { } t ? (Now - t).TotalSeconds : null), "s", "Seconds since the staple's thisUpdate");
        _meter.CreateObservableGauge("tessera.monitor.ocsp.staple.next_update", () => Each(s => Until(s.Latest?.Staple?.NextUpdate)), "s", "Seconds until the staple's nextUpdate (negative: stale)");
        _meter.CreateObservableGauge("tessera.monitor.ocsp.staple.status", ObserveStapleStatus, null, "1, labelled with the staple's certificate status (good, revoked, unknown, unreadable)");
        _meter.CreateObservableGauge("tessera.monitor.ari.window_start_timestamp", () => Each(s => Unix(s.Renewal?.Start)), "s", "Start of the issuing CA's suggested renewal window for the served certificate (RFC 9773; Unix time)");
        _meter.CreateObservableGauge("tessera.monitor.ari.window_end_timestamp", () => Each(s => Unix(s.Renewal?.End)), "s", "End of the issuing CA's suggested renewal window (past it, the certificate should have been replaced)");
        _meter.CreateObservableGauge("tessera.monitor.scan.score", () => Each(s => s.Grade?.Score), null, "The latest scan's score, 0 to 100");
        _meter.CreateObservableGauge("tessera.monitor.scan.grade", ObserveGrade, null, "1, labelled with the latest scan's grade (A+ … F, T, M)");
        _meter.CreateObservableGauge("tessera.monitor.targets", () => (long)_monitor.Status().Count, null, "Targets configured");
        monitor.Probed += Probed;
    }

    private DateTimeOffset Now => _monitor.Options.Clock.GetUtcNow();

    /// <summary>Stops publishing.</summary>
    public void Dispose()
    {
        _monitor.Probed -= Probed;
        _meter.Dispose();
    }

    private void Probed(MonitorTarget target, ProbeResult result)
    {
        var label = new KeyValuePair<string, object?>("target", target.Name);
        if (result.Handshake is { } h) _handshake.Record(h.TotalSeconds, label);
        _probes.Add(1, label, new KeyValuePair<string, object?>("result", result.ErrorKind ?? "success"));
    }

    private double? Until(DateTimeOffset? at) => at is { } t ? (t - Now).TotalSeconds : null;

    private static double? Unix(DateTimeOffset? at) => at is { } t ? t.ToUnixTimeSeconds() : null;

    private IEnumerable<Measurement<double>> Each(Func<TargetStatus, double?> value)
    {
        foreach (var s in _monitor.Status())
            if (value(s) is { } v) yield return new Measurement<double>(v, Target(s));
    }

    private static KeyValuePair<string, object?> Target(TargetStatus s) => new("target", s.Target.Name);

    private IEnumerable<Measurement<int>> ObserveInfo()
    {
        foreach (var s in _monitor.Status())
            if (s.Latest is { Success: true } r)
                yield return new Measurement<int>(1, Target(s), new("version", r.Version ?? ""), new("cipher_suite", r.CipherSuite ?? ""),
                    new("group", r.Group ?? ""), new("alpn", r.ApplicationProtocol ?? ""));
    }

    private IEnumerable<Measurement<int>> ObserveTrusted()
    {
        foreach (var s in _monitor.Status())
            if (s.Latest?.Trusted is { } trusted)
                yield return trusted ? new Measurement<int>(1, Target(s)) : new Measurement<int>(0, Target(s), new("reason", s.Latest.UntrustedKind));
    }

    private IEnumerable<Measurement<int>> ObserveStapleStatus()
    {
        foreach (var s in _monitor.Status())
            if (s.Latest?.Staple is { } staple)
                // StapleFacts puts the reader's message in Status when it cannot read the response: not a label value.
                yield return new Measurement<int>(1, Target(s), new("status", staple.Status is "good" or "revoked" or "unknown" ? staple.Status : "unreadable"));
    }

    private IEnumerable<Measurement<int>> ObserveGrade()
    {
        foreach (var s in _monitor.Status())
            if (s.Grade is { } g) yield return new Measurement<int>(1, Target(s), new("grade", g.Grade));
    }
}
