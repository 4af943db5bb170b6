using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tessera.Wire;

namespace Tessera.Diagnostics;

/// <summary>
/// The <c>Tessera</c> meter (System.Diagnostics.Metrics), recorded by every <see cref="Connection.TlsConnection"/>,
/// so <c>dotnet-counters monitor --counters Tessera</c>, OpenTelemetry or a <see cref="MeterListener"/> see every
/// handshake whichever adapter runs it (TlsStream, Kestrel, the CLI). Nothing is recorded while nobody listens.
/// </summary>
public static class TesseraMetrics
{
    /// <summary>The meter's name, for OpenTelemetry's AddMeter and dotnet-counters.</summary>
    public const string MeterName = "Tessera";

    private static readonly Meter Meter = new(MeterName, typeof(TesseraMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Completed handshakes; tags: tls.role, tls.version, tls.cipher_suite, tls.group, tls.resumed, tls.early_data.</summary>
    public static readonly Counter<long> Handshakes =
        Meter.CreateCounter<long>("tessera.handshakes", "{handshake}", "TLS handshakes completed");

    /// <summary>Time from the connection's creation to its handshake's completion, in seconds; same tags as <see cref="Handshakes"/>.</summary>
    public static readonly Histogram<double> HandshakeDuration =
        Meter.CreateHistogram("tessera.handshake.duration", "s", "TLS handshake duration",
            // In seconds: without advice an exporter applies its millisecond-shaped defaults (0, 5, 10 … 10000), and every
            // handshake lands in the first bucket above zero.
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Handshakes that failed; tags: tls.role, tls.alert (the alert sent or received), tls.alert_from_peer.</summary>
    public static readonly Counter<long> HandshakeFailures =
        Meter.CreateCounter<long>("tessera.handshake.failures", "{handshake}", "TLS handshakes that failed, by alert");

    internal static void RecordHandshake(bool isServer, ProtocolVersion? version, CipherSuite? suite, NamedGroup? group, bool resumed, bool? earlyData, TimeSpan? duration)
    {
        if (!Handshakes.Enabled && !HandshakeDuration.Enabled) return;
        var tags = new TagList
        {
            { "tls.role", isServer ? "server" : "client" },
            { "tls.version", version is { } v ? TlsNames.OfVersion((ushort)v) : "unknown" },
            { "tls.cipher_suite", suite is { } s ? TlsNames.Of(s) : "unknown" },
            { "tls.group", group is { } g ? TlsNames.Of(g) : "none" },
            { "tls.resumed", resumed },
            // "none": no 0-RTT data was offered; "accepted" / "rejected": what became of it.
            { "tls.early_data", earlyData switch { null => "none", true => "accepted", false => "rejected" } },
        };
        Handshakes.Add(1, tags);
        if (duration is { } d) HandshakeDuration.Record(d.TotalSeconds, tags);
    }

    internal static void RecordFailure(bool isServer, AlertDescription alert, bool fromPeer)
    {
        if (!HandshakeFailures.Enabled) return;
        HandshakeFailures.Add(1, new TagList
        {
            { "tls.role", isServer ? "server" : "client" },
            { "tls.alert", TlsException.Describe(alert) },
            { "tls.alert_from_peer", fromPeer },
        });
    }
}
