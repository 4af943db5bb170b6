using System.Diagnostics.Metrics;
using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>
/// The proxy's instruments, beside the core's <c>Tessera</c> meter (handshakes, their duration, failures by alert):
/// meter <c>Tessera.Proxy</c> counts connections by outcome, active connections, bytes each way and backend failures,
/// counts HTTP requests by status class (http mode), and reports the seconds to expiry of every served certificate. Exporters (Prometheus) are the caller's.
/// </summary>
public static class ProxyMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Tessera.Proxy";

    private static readonly Meter Meter = new(MeterName, typeof(ProxyMetrics).Assembly.GetName().Version?.ToString());
    private static readonly Counter<long> Connections = Meter.CreateCounter<long>("tessera.proxy.connections", "{connection}", "Connections ended, by outcome");
    private static readonly UpDownCounter<long> Active = Meter.CreateUpDownCounter<long>("tessera.proxy.connections.active", "{connection}", "Connections open now");
    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("tessera.proxy.bytes", "By", "Plaintext bytes relayed, by direction");
    private static readonly Counter<long> BackendErrors = Meter.CreateCounter<long>("tessera.proxy.backend.errors", "{error}", "Connections (tcp mode) and requests (http mode) whose backend could not be reached or failed");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("tessera.proxy.requests", "{request}", "HTTP requests forwarded (http mode), by status class");
    private static readonly Counter<long> RenewalResults = Meter.CreateCounter<long>("tessera.proxy.certificate.renewals", "{order}", "ACME orders and renewals of sites' certificates, by site and result (success, or the failure's kind)");
    private static readonly Counter<long> CertificateWarnings = Meter.CreateCounter<long>("tessera.proxy.certificate.warnings", "{warning}", "Served certificates found expired, not yet valid or expiring soon at start or reload, by reason");
    private static readonly Dictionary<object, ProxyListenerOptions> Served = [];
    private static readonly Dictionary<object, Func<IReadOnlyList<Ocsp.StapledCredential>>> Stapled = [];
    private static Func<bool>? s_redisAvailable;

    static ProxyMetrics()
    {
        Meter.CreateObservableGauge("tessera.proxy.certificate.expiry", () => ObserveExpiry(absolute: false), "s", "Seconds until each served certificate expires (negative: expired)");
        Meter.CreateObservableGauge("tessera.proxy.certificate.expiry_timestamp", () => ObserveExpiry(absolute: true), "s", "When each served certificate expires (Unix time)");
        Meter.CreateObservableGauge("tessera.proxy.ocsp.staple.age", ObserveStapleAge, "s", "Seconds since the thisUpdate of each certificate's stapled OCSP response (absent: nothing stapled)");
        Meter.CreateObservableGauge("tessera.proxy.redis.available", ObserveRedis, "{boolean}", "1 while the fleet's Redis answers, 0 while it does not (absent without Redis)");
        Meter.CreateObservableGauge("tessera.proxy.certificate.renewal.due", ObserveRenewalDue, "s", "Seconds until each ACME site's next order or renewal attempt (negative: overdue; absent: not yet planned)");
        Meter.CreateObservableCounter("tessera.proxy.ocsp.fetch.failures", ObserveFetchFailures, "{failure}", "OCSP fetches that failed or were refused, per certificate");
    }

    internal static void Opened() => Active.Add(1);

    internal static void CertificateWarning(string reason) => CertificateWarnings.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal static void AcmeRenewal(string site, string result) =>
        RenewalResults.Add(1, new KeyValuePair<string, object?>("site", site), new KeyValuePair<string, object?>("result", result));

    internal static void Closed(ProxyConnectionRecord r)
    {
        Active.Add(-1);
        Connections.Add(1, new KeyValuePair<string, object?>("outcome", ProxyOutcomeNames.Of(r.Outcome)));
        if (r.BytesFromClient > 0) Bytes.Add(r.BytesFromClient, new KeyValuePair<string, object?>("direction", "from_client"));
        if (r.BytesToClient > 0) Bytes.Add(r.BytesToClient, new KeyValuePair<string, object?>("direction", "to_client"));
        if (r.Outcome == ProxyOutcome.BackendUnavailable) BackendErrors.Add(1);
    }

    internal static void Request(ProxyRequestRecord r)
    {
        Requests.Add(1, new KeyValuePair<string, object?>("status_class", r.Status switch { < 200 => "1xx", < 300 => "2xx", < 400 => "3xx", < 500 => "4xx", _ => "5xx" }));
        if (r.BackendError is not null) BackendErrors.Add(1);
    }

    /// <summary>The expiry gauge reports the certificates of <paramref name="options"/>' sites for <paramref name="proxy"/> (replacing what it served before).</summary>
    internal static void Serve(object proxy, ProxyListenerOptions options)
    {
        lock (Served) Served[proxy] = options;
    }

    internal static void Forget(object proxy)
    {
        lock (Served)
        {
            Served.Remove(proxy);
            Stapled.Remove(proxy);
        }
    }

    /// <summary>The Redis gauge reports <paramref name="available"/> (the CLI's connection; null stops reporting).</summary>
    public static void Redis(Func<bool>? available) => s_redisAvailable = available;

    private static IEnumerable<Measurement<int>> ObserveRedis()
    {
        if (s_redisAvailable is { } available) yield return new Measurement<int>(available() ? 1 : 0);
    }

    private static readonly Dictionary<object, Func<IReadOnlyList<(string Site, string? Serial, DateTimeOffset? NotAfter, DateTimeOffset? NextAttempt)>>> Managed = [];

    /// <summary>The renewal gauge reports <paramref name="manager"/>'s sites (null: stops reporting them).</summary>
    internal static void Renewals(object manager, Func<IReadOnlyList<(string Site, string? Serial, DateTimeOffset? NotAfter, DateTimeOffset? NextAttempt)>>? status)
    {
        lock (Served)
        {
            if (status is null) Managed.Remove(manager);
            else Managed[manager] = status;
        }
    }

    private static IEnumerable<Measurement<double>> ObserveRenewalDue()
    {
        Func<IReadOnlyList<(string Site, string? Serial, DateTimeOffset? NotAfter, DateTimeOffset? NextAttempt)>>[] sources;
        lock (Served) sources = [.. Managed.Values];
        var now = DateTimeOffset.UtcNow;
        foreach (var source in sources)
            foreach (var (site, _, _, next) in source())
                if (next is { } at) yield return new Measurement<double>((at - now).TotalSeconds, new KeyValuePair<string, object?>("site", site));
    }

    /// <summary>The OCSP gauges report <paramref name="stapler"/>'s certificates.</summary>
    internal static void Staples(object stapler, Func<IReadOnlyList<Ocsp.StapledCredential>> tracked)
    {
        lock (Served) Stapled[stapler] = tracked;
    }

    private static List<Ocsp.StapledCredential> AllStapled()
    {
        Func<IReadOnlyList<Ocsp.StapledCredential>>[] sources;
        lock (Served) sources = [.. Stapled.Values];
        var all = new List<Ocsp.StapledCredential>();
        foreach (var s in sources) all.AddRange(s());
        return all;
    }

    private static IEnumerable<Measurement<double>> ObserveStapleAge()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var c in AllStapled())
            if (c.State.ThisUpdate is { } since)
                yield return new Measurement<double>((now - since).TotalSeconds, new KeyValuePair<string, object?>("subject", c.Credential.Leaf.Subject), new KeyValuePair<string, object?>("serial", c.Credential.Leaf.SerialNumber));
    }

    private static IEnumerable<Measurement<long>> ObserveFetchFailures()
    {
        foreach (var c in AllStapled())
            if (c.Responder is not null)
                yield return new Measurement<long>(c.State.Failures, new KeyValuePair<string, object?>("subject", c.Credential.Leaf.Subject), new KeyValuePair<string, object?>("serial", c.Credential.Leaf.SerialNumber));
    }

    private static IEnumerable<Measurement<double>> ObserveExpiry(bool absolute)
    {
        ProxyListenerOptions[] served;
        lock (Served) served = [.. Served.Values];
        var now = DateTimeOffset.UtcNow;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in served)
        foreach (var site in listener.Sites)
        {
            foreach (var credential in site.Tls.Certificates)
            {
                var leaf = credential.Leaf;
                if (!seen.Add(leaf.Thumbprint)) continue;
                // The date is a value of its own (expiry_timestamp), not a label: a label that changes with every renewal
                // is a new series each time, and a rule cannot compare it with time().
                var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                yield return new Measurement<double>(absolute ? notAfter.ToUnixTimeSeconds() : (notAfter - now).TotalSeconds,
                    new KeyValuePair<string, object?>("subject", leaf.Subject),
                    new KeyValuePair<string, object?>("serial", leaf.SerialNumber));
            }
        }
    }
}
