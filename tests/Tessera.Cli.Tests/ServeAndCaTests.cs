using System.Text.RegularExpressions;
using Tessera.Cli.Commands;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>`tessera serve --http` with a certificate from `tessera ca issue`, judged by curl, openssl s_client and openssl verify; `ca inspect` against `openssl x509 -text`.</summary>
[Collection("tessera home")]
public sealed partial class ServeAndCaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<string> IssueAsync(string name)
    {
        TestHome.Ensure();
        var prefix = Path.Combine(TestHome.Path, name);
        await ConnectCommandTests.ServeCertificateAsync(Path.Combine(TestHome.Path, "openssl-peer"));   // dev CA exists
        using var issue = Proc.Tessera($"ca issue localhost 127.0.0.1 --force --out {prefix}");
        Assert.Equal(0, await issue.ExitAsync(Timeout));
        Assert.Contains("issued CN=localhost", issue.Output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
        return prefix;
    }

    [Fact]
    public async Task Curl_And_OpenSsl_Accept_ServeHttp_WithACaIssuedCertificate()
    {
        var prefix = await IssueAsync("http-server");
        await using var serve = ServeFixture.Start(new ServeSettings { Mode = ServeMode.Http, CertFile = prefix + ".pem", KeyFile = prefix + ".key", Alpn = ["http/1.1"] });
        using (var curl = Proc.Start("curl", $"-sS --cacert {TestHome.DevRoot} https://localhost:{serve.Port}/"))
        {
            Assert.Equal(0, await curl.ExitAsync(Timeout));
            Assert.Contains("version: TLS1.3", curl.Output, StringComparison.Ordinal);
            Assert.Contains("alpn: http/1.1", curl.Output, StringComparison.Ordinal);
        }
        using (var curl12 = Proc.Start("curl", $"-sS --tlsv1.2 --tls-max 1.2 --cacert {TestHome.DevRoot} https://127.0.0.1:{serve.Port}/"))
        {
            Assert.Equal(0, await curl12.ExitAsync(Timeout));
            Assert.Contains("version: TLS1.2", curl12.Output, StringComparison.Ordinal);
        }
        using var sclient = Proc.Start("openssl", $"s_client -connect 127.0.0.1:{serve.Port} -servername localhost -verify_hostname localhost -CAfile {TestHome.DevRoot} -verify_return_error");
        await sclient.StandardInput.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await sclient.StandardInput.FlushAsync();
        await sclient.WaitForAsync("Tessera TLS test server", Timeout);
        Assert.Contains("Verify return code: 0 (ok)", sclient.Output, StringComparison.Ordinal);
        Assert.Contains("resumed=no", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslVerify_AcceptsTheChainTheCaProduced()
    {
        var prefix = await IssueAsync("verify-me");
        var ca = Path.Combine(TestHome.Path, "ca");
        using var verify = Proc.Start("openssl", $"verify -purpose sslserver -verify_hostname localhost -CAfile {ca}/root.pem -untrusted {ca}/intermediate.pem {prefix}.pem");
        Assert.Equal(0, await verify.ExitAsync(Timeout));
        Assert.Contains(": OK", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_ShowsWhatOpenSslX509Shows()
    {
        var prefix = await IssueAsync("inspect-me");
        using var x509 = Proc.Start("openssl", $"x509 -in {prefix}.pem -noout -text");
        await x509.ExitAsync(Timeout);
        using var inspect = Proc.Tessera($"ca inspect {prefix}.pem --ca {TestHome.DevRoot} --host localhost");
        Assert.Equal(0, await inspect.ExitAsync(Timeout));
        var ours = inspect.Output;
        var theirs = x509.Output;

        Assert.Contains("CN=localhost", ours, StringComparison.Ordinal);
        Assert.Contains("Subject: CN = localhost", theirs, StringComparison.Ordinal);
        Assert.Contains("Issuer: CN = Tessera Development CA Intermediate", theirs, StringComparison.Ordinal);
        Assert.Contains("CN=Tessera Development CA Intermediate", ours, StringComparison.Ordinal);
        // Serial: openssl prints it colon-separated.
        var serial = SerialPattern().Match(theirs).Groups[1].Value.Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        Assert.Contains(serial, ours, StringComparison.Ordinal);
        // Validity: same dates.
        var notAfter = DateTime.ParseExact(NotAfterPattern().Match(theirs).Groups[1].Value.Replace("  ", " ", StringComparison.Ordinal), "MMM d HH:mm:ss yyyy 'GMT'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(notAfter.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), ours, StringComparison.Ordinal);
        // SANs and key type.
        Assert.Contains("DNS:localhost, IP Address:127.0.0.1", theirs, StringComparison.Ordinal);
        Assert.Contains("localhost, 127.0.0.1", ours, StringComparison.Ordinal);
        Assert.Contains("ASN1 OID: prime256v1", theirs, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", ours, StringComparison.Ordinal);
        Assert.Contains("verdict: trusted", ours, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csr_Sign_Revoke_Crl_RoundTrip()
    {
        await IssueAsync("prime");
        var prefix = Path.Combine(TestHome.Path, "from-csr");
        using (var csr = Proc.Tessera($"ca csr from-csr.test --force --out {prefix}")) Assert.Equal(0, await csr.ExitAsync(Timeout));
        using (var sign = Proc.Tessera($"ca sign {prefix}.csr --force"))
        {
            Assert.Equal(0, await sign.ExitAsync(Timeout));
            var serial = SignedSerialPattern().Match(sign.Output).Groups[1].Value;
            using (var revoke = Proc.Tessera($"ca revoke {serial}")) Assert.Equal(0, await revoke.ExitAsync(Timeout));
        }
        using (var crl = Proc.Tessera("ca crl")) Assert.Equal(0, await crl.ExitAsync(Timeout));
        var ca = Path.Combine(TestHome.Path, "ca");
        // openssl agrees the certificate is revoked by the CRL the CA wrote.
        using var verify = Proc.Start("openssl", $"verify -crl_check -CAfile {ca}/root.pem -untrusted {ca}/intermediate.pem -CRLfile {ca}/crl.pem {prefix}.pem");
        Assert.NotEqual(0, await verify.ExitAsync(Timeout));
        Assert.Contains("certificate revoked", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedCsr_WhoseCnIsNotASan_GetsItAsASan_AndPassesTheWebPkiProfile()
    {
        await IssueAsync("prime");
        var prefix = Path.Combine(TestHome.Path, "cn-csr");
        using (var req = Proc.Start("openssl", $"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {prefix}.key -out {prefix}.csr " +
            "-subj /CN=www.cn-csr.test -addext subjectAltName=DNS:cn-csr.test"))
            Assert.Equal(0, await req.ExitAsync(Timeout));
        using (var sign = Proc.Tessera($"ca sign {prefix}.csr --force")) Assert.Equal(0, await sign.ExitAsync(Timeout));
        var ca = Path.Combine(TestHome.Path, "ca");
        // BR §7.1.4.3: the CN must be one of the SANs; the CA adds it rather than issue a certificate the WebPki profile refuses.
        using var inspect = Proc.Tessera($"ca inspect {prefix}.pem --ca {ca}/root.pem --host www.cn-csr.test");
        Assert.Equal(0, await inspect.ExitAsync(Timeout));
        Assert.Contains("verdict: trusted (", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("cn-csr.test, www.cn-csr.test", inspect.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa-p384")]
    [InlineData("rsa2048")]
    public async Task OtherKeyTypes_MakeChainsOpenSslAccepts(string keyType)
    {
        var dir = Directory.CreateTempSubdirectory("tessera-ca-" + keyType + "-").FullName;
        using (var init = Proc.Tessera($"ca init --dir {dir}/ca --key-type {keyType}")) Assert.Equal(0, await init.ExitAsync(Timeout));
        using (var issue = Proc.Tessera($"ca issue localhost --dir {dir}/ca --key-type {keyType} --out {dir}/leaf")) Assert.Equal(0, await issue.ExitAsync(Timeout));
        using var verify = Proc.Start("openssl", $"verify -purpose sslserver -CAfile {dir}/ca/root.pem -untrusted {dir}/ca/intermediate.pem {dir}/leaf.pem");
        Assert.Equal(0, await verify.ExitAsync(Timeout));
        using var inspect = Proc.Tessera($"ca inspect {dir}/leaf.pem --ca {dir}/ca/root.pem --host localhost");
        Assert.Equal(0, await inspect.ExitAsync(Timeout));
        // Ed25519 is outside the Baseline Requirements (BR §6.1.5): such a CA serves private PKIs, judged by RFC 5280.
        Assert.Contains(keyType == "ed25519" ? "verdict: trusted under the RFC 5280 profile only" : "verdict: trusted (", inspect.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectLint_ListsIssuanceRules_ThatBrowsersDoNotEnforce()
    {
        // A certificate from the CA breaks no issuance rule.
        var prefix = await IssueAsync("lint-clean");
        using (var clean = Proc.Tessera($"ca inspect {prefix}.pem --lint --ca {TestHome.DevRoot} --host localhost"))
        {
            Assert.Equal(0, await clean.ExitAsync(Timeout));
            Assert.Contains("lint: no issuance rule is broken", clean.Output, StringComparison.Ordinal);
            Assert.Contains("verdict: trusted (", clean.Output, StringComparison.Ordinal);
        }

        // One made by hand: the CN is not among the SANs and there is no EKU (BR §7.1.4.3, §7.1.2.7.10). Browsers accept
        // it, so --lint reports both and the exit code says so, but nothing is refused.
        var dir = Directory.CreateTempSubdirectory("tessera-lint-").FullName;
        File.WriteAllText($"{dir}/leaf.cnf", "[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=other.test\n[ext]\nsubjectAltName=DNS:example.test\nbasicConstraints=critical,CA:FALSE\n");
        using (var req = Proc.Start("openssl", $"req -x509 -config {dir}/leaf.cnf -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 10 -keyout {dir}/leaf.key -out {dir}/leaf.pem"))
            Assert.Equal(0, await req.ExitAsync(Timeout));
        using var lint = Proc.Tessera($"ca inspect {dir}/leaf.pem --lint");
        Assert.Equal(1, await lint.ExitAsync(Timeout));
        var text = lint.Output.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);   // the console wraps at its width
        Assert.Contains("lint: 'CN=other.test' has the subject CN 'other.test', which is not one of its subjectAltNames as BR §7.1.4.3 requires", text, StringComparison.Ordinal);
        Assert.Contains("lint: 'CN=other.test' has no extendedKeyUsage, which BR §7.1.2.7.10 requires", text, StringComparison.Ordinal);
        using var plain = Proc.Tessera($"ca inspect {dir}/leaf.pem");
        Assert.Equal(0, await plain.ExitAsync(Timeout));
        Assert.DoesNotContain("lint:", plain.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Serial Number:\s*\n?\s*([0-9a-f:]+)")]
    private static partial Regex SerialPattern();

    [GeneratedRegex(@"Not After : (.+ GMT)")]
    private static partial Regex NotAfterPattern();

    [GeneratedRegex(@"serial ([0-9a-f]+)")]
    private static partial Regex SignedSerialPattern();
}
