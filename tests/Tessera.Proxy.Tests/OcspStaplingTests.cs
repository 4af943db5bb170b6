using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Proxy.Ocsp;
using Tessera.Proxy.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Proxy.Tests;

/// <summary>
/// Automatic OCSP stapling against `openssl ocsp -port` on loopback as the responder, checked with
/// `openssl s_client -status`: a good response is stapled, a revoked one never is, and through a responder outage the
/// last good staple is served until it expires.
/// </summary>
public sealed class OcspStaplingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-ocsp-").FullName;
    private readonly CertificateIssuer _issuer = CertificateIssuer.CreateRoot("OCSP Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
    private readonly int _responderPort = Ports.Free();
    private readonly X509Certificate2 _leaf;

    public OcspStaplingTests()
    {
        _issuer.OcspResponder = new Uri($"http://127.0.0.1:{_responderPort}/");
        using (var issued = _issuer.Issue(["localhost", "127.0.0.1"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256))
            _leaf = issued.WithPrivateKey();
        File.WriteAllText(RootPem, _issuer.CertificatePem);
        File.WriteAllText(Path.Combine(_folder, "root.key"), _issuer.Key.ExportPem());
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private Peer? _responder;

    private X509Certificate2 _root => _issuer.Certificate;

    private string RootPem => Path.Combine(_folder, "root.pem");

    private void Log(StapledCredential c, bool ok, string message) => _log.Enqueue(message);

    [Fact]
    public async Task A_Good_Response_Is_Stapled_And_Seen_By_Openssl()
    {
        using var responder = await StartResponderAsync(revoked: false, validMinutes: 10);
        await using var stapler = new OcspStapler(log: Log);
        await using var backend = new EchoBackend();
        var tls = stapler.Apply(Server());
        var stapled = Assert.Single(stapler.Tracked);
        await WaitForAsync(() => stapled.State.Status == "good");
        await using var proxy = new RunningProxy(RunningProxy.Options(tls, backend.Port));

        var output = await StatusAsync(proxy.Port);
        Assert.Contains("OCSP Response Status: successful", output);
        Assert.Contains("Cert Status: good", output);
        Assert.NotNull(stapled.State.Expires);
    }

    [Fact]
    public async Task A_Revoked_Response_Is_Never_Stapled()
    {
        using var responder = await StartResponderAsync(revoked: true, validMinutes: 10);
        await using var stapler = new OcspStapler(log: Log);
        await using var backend = new EchoBackend();
        var tls = stapler.Apply(Server());
        var stapled = Assert.Single(stapler.Tracked);
        await WaitForAsync(() => stapled.State.Status == "revoked");
        Assert.Null(stapled.Current.OcspResponse);
        await using var proxy = new RunningProxy(RunningProxy.Options(tls, backend.Port));

        var output = await StatusAsync(proxy.Port);
        Assert.Contains("OCSP response: no response sent", output);
        Assert.DoesNotContain("Cert Status", output);
    }

    [Fact]
    public async Task Through_A_Responder_Outage_The_Last_Good_Staple_Is_Served_Until_It_Expires()
    {
        var clock = new ShiftedClock();
        var responder = await StartResponderAsync(revoked: false, validMinutes: 10);
        await using var stapler = new OcspStapler(clock, log: Log);
        await using var backend = new EchoBackend();
        var tls = stapler.Apply(Server());
        var stapled = Assert.Single(stapler.Tracked);
        await WaitForAsync(() => stapled.State.Status == "good");
        var expires = stapled.State.Expires!.Value;
        await using var proxy = new RunningProxy(RunningProxy.Options(tls, backend.Port));

        // The responder goes away; five minutes on, a refresh fails, and the staple from before is still served.
        responder.Dispose();
        clock.Offset = TimeSpan.FromMinutes(5);
        Assert.False(await stapler.RefreshAsync(stapled));
        Assert.Equal("good", stapled.State.Status);
        Assert.Equal(1, stapled.State.Failures);
        Assert.NotNull(stapled.State.LastError);
        Assert.Contains("Cert Status: good", await StatusAsync(proxy.Port));

        // Past its nextUpdate it is never stapled again.
        clock.Offset = expires - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        Assert.Null(stapled.Current.OcspResponse);
        Assert.Contains("OCSP response: no response sent", await StatusAsync(proxy.Port));
    }

    private TlsServerOptions Server() => new()
    {
        Certificates = [TlsCredential.FromCertificate(_leaf, _root)],   // the issuer in the chain: an OCSP request names it
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>`openssl ocsp` answering from an index that lists the leaf as valid or revoked; responses valid for <paramref name="validMinutes"/>.</summary>
    private async Task<Peer> StartResponderAsync(bool revoked, int validMinutes)
    {
        var serial = _leaf.SerialNumber.TrimStart('0');
        if (serial.Length % 2 == 1) serial = "0" + serial;
        var expiry = _leaf.NotAfter.ToUniversalTime().ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
        var revokedAt = DateTime.UtcNow.AddHours(-1).ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
        var line = revoked ? $"R\t{expiry}\t{revokedAt}\t{serial}\tunknown\t/CN=localhost\n" : $"V\t{expiry}\t\t{serial}\tunknown\t/CN=localhost\n";
        File.WriteAllText(Path.Combine(_folder, "index.txt"), line);
        var peer = Peer.Start("openssl", $"ocsp -index index.txt -port {_responderPort} -rsigner root.pem -rkey root.key -CA root.pem -nmin {validMinutes}", _folder);
        _responder = peer;
        // Not a probe connection: openssl ocsp (3.0) serves one connection at a time and stays stuck on one that
        // closes without a request, so every later request would time out.
        await peer.WaitForOutputAsync("waiting for OCSP client connections", Timeout);
        return peer;
    }

    private async Task<string> StatusAsync(int port)
    {
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{port} -servername localhost -status -CAfile {RootPem}");
        client.StandardInput.Close();
        await client.WaitForExitAsync(Timeout);
        return client.AllOutput;
    }

    private async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for the stapler; its log:\n{string.Join('\n', _log)}\nthe responder said:\n{_responder?.AllOutput}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
