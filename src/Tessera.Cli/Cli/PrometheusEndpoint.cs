using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Tessera.Cli.Output;
using Tessera.Cli.Settings;
using Tessera.Diagnostics;

namespace Tessera.Cli.Cli;

/// <summary>
/// Prometheus text on http://ADDRESS:PORT/metrics for a long-running command (proxy, monitor), through OpenTelemetry's
/// exporter. Configured for Prometheus rather than for OpenTelemetry: no <c>otel_scope_*</c> label on every series, and
/// one <c>target_info</c> naming the service (<c>tessera-proxy</c>, <c>tessera-monitor</c>) and its version instead of
/// <c>unknown_service</c> with the SDK's attributes.
/// </summary>
internal static class PrometheusEndpoint
{
    /// <summary>Serves <paramref name="meters"/>; a sentence in the <see cref="CliException"/> when the address cannot be used.</summary>
    public static MeterProvider Start(Endpoint at, string service, params string[] meters)
    {
        // The exporter's own failure says only that its HttpListener could not start; binding the address first finds
        // out why (in use, not on this machine, a name that does not resolve).
        if (Problem(at) is { } problem) throw new CliException(ExitCodes.ConnectionFailed, $"cannot serve metrics on {at}: {problem}");
        try
        {
            return Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: ToolBuild.Version, autoGenerateServiceInstanceId: false))
                .AddMeter(meters)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = at.Host;
                    o.Port = at.Port;
                    o.ScopeInfoEnabled = false;
                })
                .Build();
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException or ArgumentException)
        {
            throw new CliException(ExitCodes.ConnectionFailed, $"cannot serve metrics on {at}: the Prometheus listener could not start there ({e.Message})");
        }
    }

    private static string? Problem(Endpoint at)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(at.Host, out var literal) ? [literal] : Dns.GetHostAddresses(at.Host);
        }
        catch (SocketException e)
        {
            return $"{at.Host} does not resolve ({SocketErrorText.Of(e)})";
        }
        if (addresses.Length == 0) return $"{at.Host} has no address";
        try
        {
            using var probe = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(addresses[0], at.Port));
            return null;
        }
        catch (SocketException e)
        {
            return SocketErrorText.Of(e);
        }
    }
}
