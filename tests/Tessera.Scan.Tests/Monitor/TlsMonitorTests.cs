using System.Diagnostics.Metrics;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Pki;
using Tessera.Scan.Monitor;
using Tessera.Interop.Tests.Support;
using Tessera.Scan.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Tessera.Scan.Tests.Monitor;

/// <summary>The monitor as a library: what one probe finds about good and broken endpoints, the metrics it publishes, and its schedule under many targets, some of which never answer.</summary>
public sealed class TlsMonitorTests(ITestOutputHelper output) : IDisposable
{
    private readonly CertificateIssuer _root = CertificateIssuer.CreateRoot("Monitor Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(365));
    private readonly CertificateIssuer _stranger = CertificateIssuer.CreateRoot("Someone Else's Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(365));

    public void Dispose()
    {
        _root.Dispose();
        _stranger.Dispose();
    }

    private TlsCredential Leaf(CertificateIssuer issuer, string name, TimeSpan lifetime)
    {
        using var issued = issuer.Issue([name], client: false, DateTimeOffset.UtcNow + lifetime, KeyType.EcdsaP256);
        return issued.ToCredential();
    }

    private MonitorTarget Target(string name, int port) => new()
    {
        Name = name,
        Address = new HostPort("127.0.0.1", port),
        ServerName = "localhost",
        Trust = TrustStore.FromCertificates(_root.Certificate),
        Profile = VerificationProfile.Rfc5280,
    };

    [Fact]
    public async Task Probes_Report_Expiry_Trust_Name_And_The_Handshake_For_Each_Endpoint()
    {
        await using var soon = new LoopbackTlsServer(Leaf(_root, "localhost", TimeSpan.FromDays(2)));
        await using var later = new LoopbackTlsServer(Leaf(_root, "localhost", TimeSpan.FromDays(60)));
        await using var untrusted = new LoopbackTlsServer(Leaf(_stranger, "localhost", TimeSpan.FromDays(60)));
        await using var misnamed = new LoopbackTlsServer(Leaf(_root, "other.example", TimeSpan.FromDays(60)));
        await using var silent = new LoopbackTlsServer(null);
        var options = new MonitorOptions { Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(1) };
        await using var monitor = new TlsMonitor(options,
        [
            Target("soon", soon.Port), Target("later", later.Port), Target("untrusted", untrusted.Port), Target("misnamed", misnamed.Port),
            Target("silent", silent.Port), Target("closed", Ports.Free()),
        ]);
        using var metrics = new MonitorMetrics(monitor);
        using var listener = Listen(out var seen);
        monitor.Start();
        var status = await UntilAsync(() => monitor.Status() is var s && s.All(t => t.Latest is not null) ? s : null, TimeSpan.FromSeconds(30));
        var by = status.ToDictionary(s => s.Target.Name, s => s.Latest!);

        Assert.True(by["soon"].Success, by["soon"].Error);
        Assert.Equal("TLS 1.3", by["soon"].Version);
        Assert.Equal("X25519MLKEM768", by["soon"].Group);
        Assert.NotNull(by["soon"].CipherSuite);
        Assert.InRange((by["soon"].LeafNotAfter!.Value - DateTimeOffset.UtcNow).TotalDays, 1.9, 2.1);
        Assert.True(by["soon"].Trusted);
        Assert.True(by["soon"].NameMatches);
        Assert.InRange((by["later"].ChainNotAfter!.Value - DateTimeOffset.UtcNow).TotalDays, 59.9, 60.1);
        // Broken chains still complete the handshake (the probe judges the chain itself), so their dates are known.
        Assert.True(by["untrusted"].Success);
        Assert.False(by["untrusted"].Trusted);
        Assert.Equal("unknown_ca", by["untrusted"].UntrustedKind);
        Assert.True(by["untrusted"].NameMatches);
        Assert.True(by["misnamed"].Trusted);
        Assert.False(by["misnamed"].NameMatches);
        Assert.False(by["silent"].Success);
        Assert.Equal("timeout", by["silent"].ErrorKind);
        Assert.Equal("connect", by["closed"].ErrorKind);
        Assert.Contains("cannot connect", by["closed"].Error, StringComparison.Ordinal);

        listener.RecordObservableInstruments();
        lock (seen)
        {
            Assert.Equal(1, seen[("tessera.monitor.probe.success", "soon")]);
            Assert.Equal(0, seen[("tessera.monitor.probe.success", "silent")]);
            Assert.InRange(seen[("tessera.monitor.certificate.expiry", "soon")], 1.9 * 86400, 2.1 * 86400);
            Assert.Equal(0, seen[("tessera.monitor.chain.trusted", "untrusted")]);
            Assert.Equal(1, seen[("tessera.monitor.chain.trusted", "soon")]);
            Assert.Equal(0, seen[("tessera.monitor.certificate.name_match", "misnamed")]);
            Assert.Equal(0, seen[("tessera.monitor.ocsp.staple.present", "soon")]);
            Assert.False(seen.ContainsKey(("tessera.monitor.certificate.expiry", "silent")));   // a failed probe reports no dates
            Assert.Equal(6, seen[("tessera.monitor.targets", "")]);
            Assert.True(seen.ContainsKey(("tessera.monitor.handshake.duration", "soon")));
        }
    }

    [Fact]
    public async Task A_Server_Requiring_A_Client_Certificate_Is_Probed_With_The_Targets_One()
    {
        using var client = _root.Issue(["monitor.test"], client: true, DateTimeOffset.UtcNow.AddDays(30), KeyType.EcdsaP256);
        await using var mtls = new LoopbackTlsServer(Leaf(_root, "localhost", TimeSpan.FromDays(30)),
            o => o with { ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = TrustStore.FromCertificates(_root.Certificate) });
        var with = await EndpointProbe.RunAsync(Target("with", mtls.Port) with { ClientCertificate = client.ToCredential() }, TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        Assert.True(with.Success, with.Error);
        var without = await EndpointProbe.RunAsync(Target("without", mtls.Port), TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        Assert.False(without.Success);
        Assert.Equal("certificate_required", without.ErrorKind);
        Assert.True(without.Trusted);   // the server's chain arrived before it asked: its facts are still reported
    }

    [Fact]
    public async Task Two_Hundred_Targets_Keep_Their_Interval_While_Twenty_Never_Answer_And_Memory_Stays_Bounded()
    {
        // 180 targets over six servers (distinct labels, as if distinct endpoints) and 20 that accept and never answer.
        var servers = new List<LoopbackTlsServer>();
        var targets = new List<MonitorTarget>();
        try
        {
            for (var i = 0; i < 6; i++) servers.Add(new LoopbackTlsServer(Leaf(_root, "localhost", TimeSpan.FromDays(30))));
            for (var i = 0; i < 180; i++) targets.Add(Target($"good-{i:000}", servers[i % 6].Port));
            await using var hole = new LoopbackTlsServer(null);
            for (var i = 0; i < 20; i++) targets.Add(Target($"hole-{i:00}", hole.Port));
            var interval = TimeSpan.FromSeconds(3);
            var options = new MonitorOptions { Interval = interval, Timeout = TimeSpan.FromSeconds(2), Concurrency = 32 };
            await using var monitor = new TlsMonitor(options, targets);
            using var metrics = new MonitorMetrics(monitor);
            monitor.Start();

            // Warm up (every target probed once), measure the heap, run for eight intervals, measure again.
            await UntilAsync(() => monitor.Status().All(s => s.Probes >= 1) ? "" : null, TimeSpan.FromSeconds(30));
            var warm = Heap();
            var before = monitor.Status().ToDictionary(s => s.Target.Name, s => s.Probes);
            var window = interval * 8;
            await Task.Delay(window);
            var after = monitor.Status();
            var heap = Heap();

            var good = after.Where(s => s.Target.Name.StartsWith("good", StringComparison.Ordinal)).Select(s => s.Probes - before[s.Target.Name]).ToArray();
            var holes = after.Where(s => s.Target.Name.StartsWith("hole", StringComparison.Ordinal)).ToArray();
            output.WriteLine($"good targets: {good.Min()}–{good.Max()} probes each in {window.TotalSeconds} s at a {interval.TotalSeconds} s interval (8 expected); " +
                $"blackholed: {holes.Min(h => h.Probes)}–{holes.Max(h => h.Probes)} probes, all failed: {holes.All(h => h.Failures == h.Probes)}; " +
                $"managed heap after warm-up {warm / 1024} KiB, after the window {heap / 1024} KiB; server handshakes {servers.Sum(s => s.Handshakes)}");
            // ±10 % jitter over eight intervals: seven to nine probes; the blackholed targets' timeouts take none of the good ones' time.
            Assert.All(good, n => Assert.InRange(n, 7, 9));
            Assert.All(holes, h => Assert.Equal(h.Probes, h.Failures));
            Assert.All(holes, h => Assert.Equal("timeout", h.Latest!.ErrorKind));
            // What the monitor keeps is one result per target: eight more rounds of 200 probes leave the heap where it was.
            Assert.True(heap < warm + 16 * 1024 * 1024, $"the heap grew from {warm / 1024} KiB to {heap / 1024} KiB");
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static MeterListener Listen(out Dictionary<(string, string), double> seen)
    {
        var values = new Dictionary<(string, string), double>();
        seen = values;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == MonitorMetrics.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var target = "";
            foreach (var t in tags) if (t.Key == "target") target = (string)t.Value!;
            lock (values) values[(instrument.Name, target)] = value;
        }
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        return listener;
    }

    private static async Task<T> UntilAsync<T>(Func<T?> probe, TimeSpan limit) where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {limit.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
