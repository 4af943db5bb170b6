using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore.Tests.Support;
using Tessera.Diagnostics;
using Xunit;

namespace Tessera.AspNetCore.Tests;

/// <summary>The Tessera meter seen by a MeterListener, and handshake failures through ILogger.</summary>
public sealed class MetricsAndLoggingTests
{
    [Fact]
    public async Task MeterListener_SeesAHandshake_ByVersionAndGroup_AndItsDuration()
    {
        var handshakes = new List<Dictionary<string, object?>>();
        var durations = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TesseraMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "tessera.handshakes") return;
            var t = new Dictionary<string, object?>();
            foreach (var tag in tags) t[tag.Key] = tag.Value;
            lock (handshakes) handshakes.Add(t);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "tessera.handshake.duration") lock (durations) durations.Add(value);
        });
        listener.Start();

        await using var host = await SampleHost.StartAsync();
        using var client = host.Client(HttpVersion.Version20);
        await SampleHost.GetJsonAsync(client, host.Url);

        lock (handshakes)
        {
            // Other tests run in parallel; this server's handshake is the TLS 1.3 server one with SslStream's group.
            Assert.Contains(handshakes, t => (string?)t["tls.role"] == "server" && (string?)t["tls.version"] == "TLS 1.3" &&
                (string?)t["tls.group"] == "x25519" && t["tls.resumed"] is false && (string?)t["tls.cipher_suite"] is not null);
        }
        lock (durations) Assert.Contains(durations, d => d > 0 && d < 30);
    }

    [Fact]
    public async Task HandshakeFailure_IsLogged_WithTheAlertAndTheReason()
    {
        var logs = new CapturingLoggerProvider();
        var settings = SampleHost.Settings(tls => tls.ServerOptions = tls.ServerOptions with { MinVersion = Wire.ProtocolVersion.Tls13 }) with { Logging = logs };
        await using var host = await SampleHost.StartAsync(settings);
        using var curl = Interop.Tests.Support.Peer.Start("curl", $"-sS --tlsv1.2 --tls-max 1.2 --cacert {KestrelPki.Shared.RootFile} {host.Url}");
        Assert.NotEqual(0, await curl.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 100 && logs.Lines.Count == 0; i++) await Task.Delay(20);
        var line = Assert.Single(logs.Lines, l => l.Category == "Tessera.AspNetCore");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("alert protocol_version", line.Message, StringComparison.Ordinal);
        Assert.Contains("TLS 1.2", line.Message, StringComparison.Ordinal);
    }
}
