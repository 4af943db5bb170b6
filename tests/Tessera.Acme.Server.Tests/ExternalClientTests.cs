using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Server.Tests.Support;
using Tessera.Interop.Tests.Support;
using Xunit;

namespace Tessera.Acme.Server.Tests;

/// <summary>
/// Outside ACME clients from Debian against `tessera ca serve`'s server: lego (http-01 and tls-alpn-01) and certbot
/// (standalone and webroot, renew --force-renewal, revoke), each certificate accepted by `openssl verify` under the
/// CA's root, and a revoked serial in the CRL served at the URL the certificates name.
/// </summary>
public sealed class LegoTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("http")]
    [InlineData("tls")]
    public async Task Lego_Obtains_A_Certificate_That_Openssl_Verifies(string challenge)
    {
        ExternalClients.Require("lego");
        var name = $"{challenge}.lego.test.example";
        await using var ca = await AcmeCa.StartAsync([name]);
        var port = challenge == "http" ? ca.HttpPort : ca.TlsPort;
        using var lego = Peer.Start("lego",
            $"--path {ca.Folder}/lego --server {ca.Directory} --email ops@test.example --accept-tos --{challenge} --{challenge}.port 127.0.0.1:{port} -d {name} run",
            ca.Folder, new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = ca.Ca.RootFile });
        Assert.True(await lego.WaitForExitAsync(Timeout) == 0, lego.AllOutput);

        var certificate = Path.Combine(ca.Folder, "lego", "certificates", name + ".crt");
        await ExternalClients.OpensslVerifiesAsync(ca, certificate);
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(certificate));
        Assert.Equal([name], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Contains(ca.Log, l => l.StartsWith($"{challenge}-01".Replace("tls-01", "tls-alpn-01", StringComparison.Ordinal) + $" for {name}: valid", StringComparison.Ordinal));
    }

}

/// <summary>certbot 2 (Debian 12): standalone, webroot, renew --force-renewal and revoke against the server.</summary>
public sealed class CertbotTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Certbot_Obtains_Renews_And_Revokes_And_The_Crl_Lists_The_Serial()
    {
        ExternalClients.Require("certbot");
        const string name = "certbot.test.example";
        const string webrootName = "webroot.certbot.test.example";
        await using var ca = await AcmeCa.StartAsync([name, webrootName]);
        var common = $"--server {ca.Directory} --config-dir {ca.Folder}/cb/config --work-dir {ca.Folder}/cb/work --logs-dir {ca.Folder}/cb/logs -n";
        var environment = new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = ca.Ca.RootFile };

        await CertbotAsync(ca, $"certonly --standalone --http-01-port {ca.HttpPort} --http-01-address 127.0.0.1 -d {name} --register-unsafely-without-email --agree-tos {common}", environment);
        var live = Path.Combine(ca.Folder, "cb", "config", "live", name);
        await ExternalClients.OpensslVerifiesAsync(ca, Path.Combine(live, "cert.pem"));
        var first = Serial(Path.Combine(live, "cert.pem"));

        // --webroot: certbot writes the token into a folder a web server (here python's) serves.
        var webroot = Directory.CreateDirectory(Path.Combine(ca.Folder, "webroot")).FullName;
        using (var web = Peer.Start("python3", $"-m http.server {ca.HttpPort} --bind 127.0.0.1 --directory {webroot}", ca.Folder))
        {
            using (await Ports.ConnectAsync(ca.HttpPort, Timeout)) { }
            await CertbotAsync(ca, $"certonly --webroot -w {webroot} -d {webrootName} {common}", environment);
        }
        await ExternalClients.OpensslVerifiesAsync(ca, Path.Combine(ca.Folder, "cb", "config", "live", webrootName, "cert.pem"));

        await CertbotAsync(ca, $"renew --force-renewal --no-random-sleep-on-renew --cert-name {name} --http-01-port {ca.HttpPort} --http-01-address 127.0.0.1 {common}", environment);
        var renewed = Serial(Path.Combine(live, "cert.pem"));
        Assert.NotEqual(first, renewed);
        await ExternalClients.OpensslVerifiesAsync(ca, Path.Combine(live, "cert.pem"));

        await CertbotAsync(ca, $"revoke --cert-path {live}/cert.pem --reason keycompromise --no-delete-after-revoke {common}", environment);
        var crl = Path.Combine(ca.Folder, "served.crl");
        // The CRL is fetched the way relying parties fetch it: plain HTTP at the distribution point, which serves nothing else.
        Assert.Equal("http", ca.Server.CrlUrl.Scheme);
        using (var http = new HttpClient())
        {
            await File.WriteAllBytesAsync(crl, await http.GetByteArrayAsync(ca.Server.CrlUrl));
            using var directory = await http.GetAsync(new Uri(ca.Server.CrlUrl, "/directory"));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, directory.StatusCode);
        }
        using var openssl = Peer.Start("openssl", $"crl -inform DER -in {crl} -noout -text");
        Assert.Equal(0, await openssl.WaitForExitAsync(Timeout));
        Assert.Contains($"Serial Number: {renewed.ToUpperInvariant()}", openssl.StdoutText, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", openssl.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain($"Serial Number: {first.ToUpperInvariant()}", openssl.StdoutText, StringComparison.Ordinal);

        // The certificates name that CRL as their distribution point.
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(live, "cert.pem")));
        Assert.Contains(ca.Server.CrlUrl.AbsoluteUri, leaf.Extensions.Single(e => e.Oid?.Value == "2.5.29.31").Format(false), StringComparison.Ordinal);
    }

    private static async Task CertbotAsync(AcmeCa ca, string arguments, Dictionary<string, string> environment)
    {
        using var certbot = Peer.Start("certbot", arguments, ca.Folder, environment);
        Assert.True(await certbot.WaitForExitAsync(Timeout) == 0, $"certbot {arguments}\n{certbot.AllOutput}\n{string.Join("\n", ca.Log)}");
    }

    private static string Serial(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pem));
        return certificate.SerialNumber.ToLowerInvariant();
    }

}

internal static class ExternalClients
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    internal static async Task OpensslVerifiesAsync(AcmeCa ca, string chainFile)
    {
        // The file holds the leaf (and maybe the intermediate): the intermediate comes from the CA's own file.
        using var openssl = Peer.Start("openssl", $"verify -CAfile {ca.Ca.RootFile} -untrusted {ca.Ca.IntermediateFile} {chainFile}");
        Assert.True(await openssl.WaitForExitAsync(Timeout) == 0, openssl.AllOutput);
        Assert.Contains(": OK", openssl.StdoutText, StringComparison.Ordinal);
    }

    internal static void Require(string program)
    {
        if (Peer.Which(program) is null) throw new InvalidOperationException($"{program} is not installed (apt-get install {program}); .ci/run installs it");
    }
}
