using Tessera.Acme.Tests.Support;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Tessera.Proxy.Acme;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Xunit;

namespace Tessera.Proxy.Tests.Acme;

/// <summary>
/// The proxy's ACME sites against Let's Encrypt's test CA (Pebble, with pebble-challtestsrv resolving every name to
/// 127.0.0.1): three http-mode sites by SNI, one validated through tls-alpn-01 on the proxy's TLS listener (Pebble's
/// tlsPort), one through http-01 on its plain-HTTP listener (Pebble's httpPort), and a name with its wildcard through
/// dns-01 by a hook that sets the TXT record in pebble-challtestsrv, served to `curl --http2` and
/// `openssl s_client` under Pebble's root; a restart serves the stored certificates and orders nothing.
/// </summary>
public sealed class PebbleSitesTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly Pebble _pebble = new(nonceRejectPercent: 0);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-pebble-").FullName;

    public void Dispose()
    {
        _pebble.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The dns-01 hook: sets and clears TXT records in pebble-challtestsrv, Pebble's DNS.</summary>
    private string Hook()
    {
        var path = Path.Combine(_folder, "dns-hook.sh");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, $$"""
                #!/bin/sh
                set -e
                case "$1" in
                  present) curl -sf -X POST -d '{"host":"'"$2"'","value":"'"$3"'"}'  http://127.0.0.1:{{_pebble.ChallengeManagementPort}}/set-txt ;;
                  cleanup) curl -sf -X POST -d '{"host":"'"$2"'"}'  http://127.0.0.1:{{_pebble.ChallengeManagementPort}}/clear-txt ;;
                esac
                """);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private ProxyConfiguration Configuration(int backend, string pebbleHttpsRoot) => new()
    {
        Listeners =
        [
            new ProxyListenerConfiguration
            {
                Name = "main",
                Listen = new HostPort("127.0.0.1", _pebble.TlsPort),
                Sites =
                [
                    new ProxySiteConfiguration { Name = "shop", ServerNames = ["shop.test.example"], Mode = ProxyMode.Http, Backend = new HostPort("127.0.0.1", backend), Ocsp = false,
                        Acme = new ProxyAcmeSettings { Directory = _pebble.Directory, Challenge = "tls-alpn-01", CaFile = pebbleHttpsRoot } },
                    new ProxySiteConfiguration { Name = "blog", ServerNames = ["blog.test.example"], Mode = ProxyMode.Http, Backend = new HostPort("127.0.0.1", backend), Ocsp = false,
                        Acme = new ProxyAcmeSettings { Directory = _pebble.Directory, Challenge = "http-01", CaFile = pebbleHttpsRoot } },
                    new ProxySiteConfiguration { Name = "wild", ServerNames = ["wild.test.example", "*.wild.test.example"], Mode = ProxyMode.Http, Backend = new HostPort("127.0.0.1", backend), Ocsp = false,
                        Acme = new ProxyAcmeSettings { Directory = _pebble.Directory, Challenge = "dns-01", DnsHook = Hook(), CaFile = pebbleHttpsRoot } },
                ],
            },
        ],
        Acme = new ProxyAcmeOptions { Storage = Path.Combine(_folder, "store"), HttpListen = new HostPort("127.0.0.1", _pebble.HttpPort), RetryAfterFailure = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task Three_Sites_Are_Served_To_Curl_And_Openssl_And_A_Restart_Orders_Nothing()
    {
        var httpsRoot = Path.Combine(_folder, "pebble-https-root.pem");
        await File.WriteAllTextAsync(httpsRoot, string.Concat(_pebble.Trust.Roots.Cast<System.Security.Cryptography.X509Certificates.X509Certificate2>().Select(r => r.ExportCertificatePem() + "\n")));
        var issuingRoot = Path.Combine(_folder, "pebble-root.pem");
        await File.WriteAllTextAsync(issuingRoot, await _pebble.RootPemAsync());
        await using var backend = new HttpBackend();
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await using (var host = new ProxyHost(() => Configuration(backend.Port, httpsRoot), new ProxyHostOptions { Events = e => events.Enqueue(e.Message) }))
        {
            host.Start();
            using var stop = new CancellationTokenSource();
            var running = host.RunAsync(TimeSpan.FromSeconds(1), stop.Token);
            foreach (var name in new[] { "shop.test.example", "blog.test.example", "www.wild.test.example" })
                await CurlUntilServedAsync(name, issuingRoot, events);
            using var sClient = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{_pebble.TlsPort} -servername blog.test.example -CAfile {issuingRoot} -verify_return_error -brief");
            sClient.StandardInput.Close();
            Assert.True(await sClient.WaitForExitAsync(Timeout) == 0, sClient.AllOutput);
            Assert.Contains("Verification: OK", sClient.AllOutput, StringComparison.Ordinal);
            await stop.CancelAsync();
            await running;
        }
        Assert.Equal(3, events.Count(e => e.Contains("': obtained serial ", StringComparison.Ordinal)));

        events.Clear();
        await using (var restarted = new ProxyHost(() => Configuration(backend.Port, httpsRoot), new ProxyHostOptions { Events = e => events.Enqueue(e.Message) }))
        {
            restarted.Start();
            using var stop = new CancellationTokenSource();
            var running = restarted.RunAsync(TimeSpan.FromSeconds(1), stop.Token);
            using var curl = Peer.Start("curl", $"-sS --http2 --fail --cacert {issuingRoot} --resolve shop.test.example:{_pebble.TlsPort}:127.0.0.1 https://shop.test.example:{_pebble.TlsPort}/");
            Assert.True(await curl.WaitForExitAsync(Timeout) == 0, curl.AllOutput);
            await stop.CancelAsync();
            await running;
        }
        Assert.Equal(3, events.Count(e => e.Contains("serving the stored certificate", StringComparison.Ordinal)));
        Assert.DoesNotContain(events, e => e.Contains("': ordering ", StringComparison.Ordinal));
    }

    private async Task CurlUntilServedAsync(string name, string root, System.Collections.Concurrent.ConcurrentQueue<string> events)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using var curl = Peer.Start("curl", $"-sS --http2 --fail -w \"%{{http_version}}\" --cacert {root} --resolve {name}:{_pebble.TlsPort}:127.0.0.1 https://{name}:{_pebble.TlsPort}/");
            if (await curl.WaitForExitAsync(Timeout) == 0)
            {
                Assert.EndsWith("2", curl.StdoutText.Trim(), StringComparison.Ordinal);
                return;
            }
            if (DateTime.UtcNow > deadline) Assert.Fail($"{name} was never served: {curl.AllOutput}\n{string.Join("\n", events)}\n{_pebble.Log}");
            await Task.Delay(500);
        }
    }
}
