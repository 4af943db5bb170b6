using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>`tessera bench` for 10 s against `openssl s_server` and `tessera serve`: handshakes/s, percentiles, zero errors. No timing is asserted.</summary>
[Collection("tessera home")]
public sealed class BenchCommandTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private static void AssertHealthy(BenchResult r)
    {
        Assert.Equal(0, r.Errors);
        Assert.True(r.Handshakes > 0, "no handshake completed");
        Assert.True(r.P50Ms > 0 && r.P99Ms >= r.P50Ms && r.MaxMs >= r.P99Ms, $"percentiles {r.P50Ms} {r.P99Ms} {r.MaxMs}");
        Assert.True(r.Seconds >= Duration.TotalSeconds * 0.9);
    }

    [Fact]
    public async Task Bench_Against_TesseraServe_Resumed_WithRequests()
    {
        await using var serve = ServeFixture.Start();
        var result = await BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", serve.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = 4,
            Duration = Duration,
            Resume = true,
            RequestBytes = 512,
        }, CancellationToken.None);
        AssertHealthy(result);
        Assert.True(result.Resumed > 0, "no handshake resumed");
        Assert.True(result.Bytes > 0);
    }

    [Fact]
    public async Task Bench_Against_OpenSslServer()
    {
        var cert = Path.Combine(TestHome.Path, "openssl-peer");
        await ConnectCommandTests.ServeCertificateAsync(cert);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {cert}.pem -key {cert}.key -cert_chain {Path.Combine(TestHome.Path, "ca", "intermediate.pem")} -www -quiet");
        // s_server -quiet prints nothing, so readiness is a successful TCP connect.
        using (await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10))) { }
        var result = await BenchCommand.RunAsync(new BenchSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Connections = 4,
            Duration = Duration,
        }, CancellationToken.None);
        AssertHealthy(result);
    }
}
