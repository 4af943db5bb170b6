using System.Diagnostics.Metrics;

namespace Tessera.Acme;

/// <summary>
/// The <c>Tessera.Acme</c> meter: every request the client sends, by the directory resource it went to (newOrder,
/// newAccount … or "object" for the order, authorization, challenge and certificate URLs, whose identifiers would make
/// the label unbounded), HTTP method and status code ("error" when no answer came).
/// </summary>
public static class AcmeMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Tessera.Acme";

    private static readonly Meter Meter = new(MeterName, typeof(AcmeMetrics).Assembly.GetName().Version?.ToString());
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("tessera.acme.requests", "{request}", "ACME requests sent, by resource, method and status");

    internal static void Request(string resource, string method, string status) =>
        Requests.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", status));
}
