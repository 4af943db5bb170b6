using System.Net.Http;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Http;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;

namespace Tessera.Acme.Tests.Support;

/// <summary>
/// Let's Encrypt's test CA for one test class: pebble-challtestsrv as its DNS (every name resolves to 127.0.0.1, and
/// TXT records are set through its management API), and pebble on free loopback ports with an HTTPS certificate this
/// fixture issues. Pebble's default 5 % badNonce rejection stays on unless a test asks for another rate.
/// </summary>
public sealed class Pebble : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Peer? _challtestsrv;
    private Peer? _pebble;
    private readonly CertificateIssuer _issuer = CertificateIssuer.CreateRoot("Pebble HTTPS Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));

    public Pebble(int nonceRejectPercent = 5, string? externalAccountKeysJson = null, int alternateRoots = 0)
    {
        foreach (var program in new[] { "pebble", "pebble-challtestsrv" })
            if (Peer.Which(program) is null) throw new InvalidOperationException($"{program} is not installed (apt-get install pebble); .ci/run installs it");
        Folder = System.IO.Directory.CreateTempSubdirectory("tessera-pebble-").FullName;
        using (var https = _issuer.Issue(["localhost", "127.0.0.1"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256))
        {
            File.WriteAllText(Path.Combine(Folder, "https.pem"), https.CertificatePem);
            File.WriteAllText(Path.Combine(Folder, "https.key"), https.KeyPem);
        }
        Trust = TrustStore.FromCertificates(_issuer.Certificate);

        // Free ports are only free until someone binds them: a parallel test's Pebble (same root name, other key) or any
        // other listener may take one between the lookup and Pebble's bind. So each start is proved to be this fixture's
        // own processes (alive, and answering TLS under this fixture's root) and made again on fresh ports if it is not.
        Exception? last = null;
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            if (TryStart(nonceRejectPercent, externalAccountKeysJson, alternateRoots, out last)) return;
            StopProcesses();
        }
        Dispose();
        throw new InvalidOperationException($"pebble did not start in {StartAttempts} attempts", last);
    }

    private const int StartAttempts = 3;

    private bool TryStart(int nonceRejectPercent, string? externalAccountKeysJson, int alternateRoots, out Exception? failure)
    {
        DnsPort = Ports.Free();
        ChallengeManagementPort = Ports.Free();
        _challtestsrv = Peer.Start("pebble-challtestsrv",
            $"-defaultIPv4 127.0.0.1 -defaultIPv6 \"\" -dns01 127.0.0.1:{DnsPort} -http01 \"\" -https01 \"\" -tlsalpn01 \"\" -management 127.0.0.1:{ChallengeManagementPort}");

        AcmePort = Ports.Free();
        ManagementPort = Ports.Free();
        HttpPort = Ports.Free();
        TlsPort = Ports.Free();
        var config = Path.Combine(Folder, "pebble.json");
        File.WriteAllText(config, $$"""
            {
              "pebble": {
                "listenAddress": "127.0.0.1:{{AcmePort}}",
                "managementListenAddress": "127.0.0.1:{{ManagementPort}}",
                "certificate": "{{Path.Combine(Folder, "https.pem")}}",
                "privateKey": "{{Path.Combine(Folder, "https.key")}}",
                "httpPort": {{HttpPort}},
                "tlsPort": {{TlsPort}},
                "ocspResponderURL": "",
                "externalAccountBindingRequired": {{(externalAccountKeysJson is null ? "false" : "true")}}{{(externalAccountKeysJson is null ? "" : ",\n    \"externalAccountMACKeys\": " + externalAccountKeysJson)}}
              }
            }
            """);
        _pebble = Peer.Start("pebble", $"-config {config} -dnsserver 127.0.0.1:{DnsPort}", Folder, new Dictionary<string, string>
        {
            ["PEBBLE_VA_NOSLEEP"] = "1",                               // validate at once instead of after a random 0-15 s
            ["PEBBLE_WFE_NONCEREJECT"] = nonceRejectPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PEBBLE_ALTERNATE_ROOTS"] = alternateRoots.ToString(System.Globalization.CultureInfo.InvariantCulture),   // extra chains, offered as Link rel="alternate"
        });
        try
        {
            Ports.ConnectAsync(AcmePort, StartTimeout).GetAwaiter().GetResult().Dispose();
            Ports.ConnectAsync(ManagementPort, StartTimeout).GetAwaiter().GetResult().Dispose();
            Ports.ConnectAsync(ChallengeManagementPort, StartTimeout).GetAwaiter().GetResult().Dispose();
            // Something answers on each port; it is ours only if it speaks TLS under this fixture's root (Pebble's two
            // HTTPS ports) and both processes are still running (one that lost a bind has exited).
            using var http = ManagementClient();
            http.Timeout = StartTimeout;
            http.GetAsync(Directory).GetAwaiter().GetResult().EnsureSuccessStatusCode();
            http.GetAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0")).GetAwaiter().GetResult().EnsureSuccessStatusCode();
            if (_pebble.HasExited || _challtestsrv.HasExited)
                throw new InvalidOperationException("a Pebble process exited after its ports answered (another listener holds one of them)");
            failure = null;
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or HttpRequestException
            or TaskCanceledException or InvalidOperationException)
        {
            failure = new InvalidOperationException($"pebble did not start on ports {AcmePort}/{ManagementPort}/{ChallengeManagementPort}: " +
                _pebble.AllOutput + "\n" + _challtestsrv.AllOutput, e);
            return false;
        }
    }

    private void StopProcesses()
    {
        _pebble?.Dispose();
        _challtestsrv?.Dispose();
        _pebble = null;
        _challtestsrv = null;
    }

    public string Folder { get; }
    public TrustStore Trust { get; }
    public int DnsPort { get; private set; }
    public int ChallengeManagementPort { get; private set; }
    public int AcmePort { get; private set; }
    public int ManagementPort { get; private set; }

    /// <summary>Where Pebble's validator connects for http-01 (the test's responder listens there).</summary>
    public int HttpPort { get; private set; }

    /// <summary>Where Pebble's validator connects for tls-alpn-01.</summary>
    public int TlsPort { get; private set; }

    public Uri Directory => new($"https://127.0.0.1:{AcmePort}/dir");

    public string Log => _pebble?.AllOutput ?? "";

    /// <summary>An HttpClient over Tessera that trusts Pebble's HTTPS certificate (for its management API).</summary>
    public HttpClient ManagementClient() => new(new TesseraHttpHandler(new TlsClientOptions { TrustStore = Trust }));

    /// <summary>The root Pebble issues under (its management API's /roots/0), as PEM.</summary>
    public async Task<string> RootPemAsync(int index = 0)
    {
        using var http = ManagementClient();
        return await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/{index}"));
    }

    public void Dispose()
    {
        StopProcesses();
        _issuer.Dispose();
        try { System.IO.Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* the temp folder is the system's to clean */ }
    }
}
