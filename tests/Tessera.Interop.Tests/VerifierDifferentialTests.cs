using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Xunit;
using Tessera.Tests.Support;
using static Tessera.Tests.Support.CertBuilder;

namespace Tessera.Interop.Tests;

/// <summary>
/// Tessera's verdict on generated chains against `openssl verify -purpose sslserver -verify_hostname`. Every
/// disagreement must be listed below with the clause that makes Tessera right; a new one (or a fixed one) fails.
/// </summary>
public sealed class VerifierDifferentialTests
{
    /// <summary>Known disagreements and why Tessera's verdict stands.</summary>
    private static readonly Dictionary<string, string> Disagreements = new()
    {
        ["SHA-1 signed intermediate"] =
            "openssl verify (security level not applied to chain signatures) accepts SHA-1; Tessera refuses it: chosen-prefix " +
            "collisions are practical, RFC 9155 deprecates SHA-1 signatures in TLS, and CA/B Forum BR §7.1.3.2 forbids it",
        // The WebPki profile's Baseline Requirements rules that Chrome enforces as a relying party and OpenSSL (and
        // X509Chain, built on it here) does not. (The BR rules that bind only the issuing CA — an EKU in every leaf, the
        // CN a copy of a SAN — are IssuanceLint findings, not refusals, so openssl and Tessera agree on those chains.)
        ["wildcard directly above a public suffix"] =
            "openssl has no Public Suffix List; BR §3.2.2.6 forbids a wildcard directly above a registry-controlled label " +
            "(*.co.uk would cover every company in the UK)",
        // RFC 5280's own MUSTs, which OpenSSL enforces only under -x509_strict (AKI, basicConstraints) or not at all (serial).
        ["leaf without authorityKeyIdentifier"] =
            "RFC 5280 §4.2.1.1: the keyIdentifier MUST be included in every certificate that is not self-signed; openssl " +
            "checks it only with -x509_strict",
        ["intermediate basicConstraints not critical"] =
            "RFC 5280 §4.2.1.9: basicConstraints MUST be critical in CA certificates that validate signatures; openssl " +
            "checks it only with -x509_strict",
        ["leaf serial negative"] =
            "RFC 5280 §4.1.2.2: the serial MUST be a positive integer; openssl accepts it, even with -x509_strict (checked " +
            "by hand with OpenSSL 3.0.19)",
        ["leaf RSA key of 2040 bits"] =
            "openssl's default security level 1 accepts RSA ≥ 1024; BR §6.1.5 requires ≥ 2048 (and Tessera keeps 2048 as a " +
            "floor in both profiles)",
        ["wildcard SAN reaching an excluded subtree"] =
            "openssl compares the SAN '*.example.test' as a literal string against the excluded 'bad.example.test' and finds " +
            "no match, yet the certificate would be accepted for bad.example.test; Tessera treats a wildcard as every name it " +
            "can match, as RFC 5280 §4.2.1.10 requires names inside an excluded subtree to be refused",
    };

    private sealed record Case(string Name, X509Certificate2[] Chain, X509Certificate2[] Roots, string Host = "example.test");

    private static IEnumerable<Case> Cases()
    {
        var root = Root("Differential Root");
        var intermediate = Intermediate("Differential Intermediate", root);
        yield return new("valid", [Leaf(intermediate), intermediate], [root]);
        yield return new("valid, root included", [Leaf(intermediate), intermediate, root], [root]);
        yield return new("expired leaf", [Leaf(intermediate, notBefore: Now.AddDays(-30), notAfter: Now.AddDays(-2)), intermediate], [root]);
        yield return new("not yet valid leaf", [Leaf(intermediate, notBefore: Now.AddDays(2)), intermediate], [root]);
        yield return new("expired intermediate", ExpiredIntermediate(root), [root]);
        yield return new("untrusted root", [Leaf(intermediate), intermediate], [Root("Somebody Else")]);
        yield return new("missing intermediate", [Leaf(intermediate)], [root]);
        var notCa = Make(new Spec { Subject = "CN=Not A CA", KeyUsage = X509KeyUsageFlags.KeyCertSign, Extra = [new X509BasicConstraintsExtension(false, false, 0, true)] }, root);
        yield return new("intermediate not a CA", [Leaf(notCa), notCa], [root]);
        var noKeyCertSign = Make(new Spec { Subject = "CN=No KeyCertSign", IsCa = true, KeyUsage = X509KeyUsageFlags.DigitalSignature }, root);
        yield return new("intermediate without keyCertSign", [Leaf(noKeyCertSign), noKeyCertSign], [root]);
        var pathLenRoot = Root("PathLen0 Root", pathLength: 0);
        var belowPathLen = Intermediate("Below PathLen0", pathLenRoot);
        yield return new("pathLen violation", [Leaf(belowPathLen), belowPathLen], [pathLenRoot]);
        yield return new("leaf EKU clientAuth only", [Leaf(intermediate, ekus: [CertBuilder.Oid.ClientAuth]), intermediate], [root]);
        yield return new("leaf anyExtendedKeyUsage", [Leaf(intermediate, ekus: [CertBuilder.Oid.AnyEku]), intermediate], [root]);
        var codeSigning = Intermediate("Code Signing CA", root, ekus: [CertBuilder.Oid.CodeSigning]);
        yield return new("intermediate EKU codeSigning only", [Leaf(codeSigning), codeSigning], [root]);
        var dnsConstrained = Intermediate("DNS Constrained", root, extra: [NameConstraints(permittedDns: ["example.test"])]);
        yield return new("DNS name constraint satisfied", [Leaf(dnsConstrained, dns: ["www.example.test"]), dnsConstrained], [root], "www.example.test");
        yield return new("DNS name constraint violated", [Leaf(dnsConstrained, dns: ["evil.test"]), dnsConstrained], [root], "evil.test");
        var ipConstrained = Intermediate("IP Constrained", root, extra: [NameConstraints(permittedIps: ["10.0.0.0/8"])]);
        yield return new("IP name constraint violated", [Leaf(ipConstrained, dns: ["example.test"], ips: ["192.168.1.1"]), ipConstrained], [root]);
        yield return new("unknown critical extension", [Leaf(intermediate, extra: [new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], true)]), intermediate], [root]);
        var rsaRoot = Root("RSA Differential Root", rsa: true);
        var sha1 = Intermediate("SHA-1 Intermediate", rsaRoot, hash: HashAlgorithmName.SHA1);
        yield return new("SHA-1 signed intermediate", [Leaf(sha1), sha1], [rsaRoot]);
        yield return new("wrong host name", [Leaf(intermediate, dns: ["a.example"]), intermediate], [root], "b.example");
        yield return new("wildcard covers one label", [Leaf(intermediate, dns: ["*.example.test"]), intermediate], [root], "www.example.test");
        yield return new("wildcard does not cover two labels", [Leaf(intermediate, dns: ["*.example.test"]), intermediate], [root], "a.b.example.test");
        var rootA = Root("Cross A");
        var rootB = Root("Cross B");
        using var crossKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var viaA = Intermediate("Cross Intermediate", rootA, notAfter: Now.AddDays(-1), key: crossKey);
        var viaB = Intermediate("Cross Intermediate", rootB, key: crossKey);
        yield return new("cross-signed, one valid path", [Leaf(viaB), viaA, viaB], [rootA, rootB]);

        // The strict profile's rules (issue 16): where OpenSSL's default verify accepts, the disagreement is listed.
        yield return new("leaf without extendedKeyUsage", [Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = null }, intermediate), intermediate], [root]);
        yield return new("leaf CN not among its SANs", [Leaf(intermediate, subject: "CN=other.test"), intermediate], [root]);
        yield return new("wildcard directly above a public suffix", [Leaf(intermediate, dns: ["*.co.uk"]), intermediate], [root], "www.co.uk");
        yield return new("leaf without authorityKeyIdentifier",
            [Make(new Spec { Subject = "CN=example.test", Dns = ["example.test"], Ekus = [CertBuilder.Oid.ServerAuth], NoAuthorityKeyId = true }, intermediate), intermediate], [root]);
        var softBc = Make(new Spec { Subject = "CN=Soft BC Intermediate", IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign, BasicConstraintsCritical = false }, root);
        yield return new("intermediate basicConstraints not critical", [Leaf(softBc), softBc], [root]);
        yield return new("leaf serial negative", [Rewrite(Leaf(intermediate), intermediate, f => f[1] = RawInteger(0x80, 0x01)), intermediate], [root]);
        yield return new("leaf RSA key of 2040 bits", [Rewrite(Leaf(intermediate), intermediate, f => f[6] = RsaSpki(2040)), intermediate], [root]);
        yield return new("leaf RSA key of 2048 bits", [Rewrite(Leaf(intermediate), intermediate, f => f[6] = RsaSpki(2048)), intermediate], [root]);
        var excluding = Intermediate("Excluding Intermediate", root, extra: [NameConstraints(excludedDns: ["bad.example.test"])]);
        yield return new("wildcard SAN reaching an excluded subtree", [Leaf(excluding, dns: ["*.example.test"]), excluding], [root], "www.example.test");
        yield return new("SAN outside an excluded subtree", [Leaf(excluding, dns: ["good.example.test"]), excluding], [root], "good.example.test");
        // What the conformance issue found: a self-signed CA certificate trusted directly (`openssl req -x509`), a root
        // whose nameConstraints are not critical, a re-keyed (self-issued) intermediate.
        var self = Make(new Spec { Subject = "CN=example.test", IsCa = true, Dns = ["example.test"], KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature }, null);
        yield return new("self-signed CA certificate trusted directly", [self], [self]);
        var nc = NameConstraints(permittedDns: ["example.test"]);
        var softNcRoot = Root("Soft NC Root", extra: [new X509Extension(nc.Oid!, nc.RawData, critical: false)]);
        yield return new("root nameConstraints not critical", [Leaf(softNcRoot)], [softNcRoot]);
        yield return new("root nameConstraints not critical, violated", [Leaf(softNcRoot, dns: ["evil.test"])], [softNcRoot], "evil.test");
        var rekeyed = Intermediate("Differential Intermediate", intermediate);
        yield return new("self-issued (re-keyed) intermediate", [Leaf(rekeyed), rekeyed, intermediate], [root]);
    }

    private static X509Certificate2[] ExpiredIntermediate(X509Certificate2 root)
    {
        var expired = Intermediate("Expired Intermediate", root, notAfter: Now.AddDays(-1));
        return [Leaf(expired), expired];
    }

    [Fact]
    public void TesseraAgreesWithOpenSslVerify_ExceptWhereListed()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tessera-differential-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var disagreements = new Dictionary<string, string>();
        var i = 0;
        foreach (var c in Cases())
        {
            var tessera = TesseraVerdict(c);
            var openssl = OpenSslVerdict(c, Path.Combine(dir, (i++).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (tessera.Ok != openssl.Ok)
                disagreements[c.Name] = $"Tessera {(tessera.Ok ? "accepts" : "refuses: " + tessera.Why)}; openssl {(openssl.Ok ? "accepts" : "refuses: " + openssl.Why)}";
        }
        var unexpected = disagreements.Keys.Except(Disagreements.Keys).Select(k => $"{k}: {disagreements[k]}").ToList();
        var resolved = Disagreements.Keys.Except(disagreements.Keys).ToList();
        Assert.True(unexpected.Count == 0, "new disagreements with openssl verify:\n" + string.Join("\n", unexpected));
        Assert.True(resolved.Count == 0, "listed disagreements that no longer occur (remove them):\n" + string.Join("\n", resolved));
    }

    private static (bool Ok, string Why) TesseraVerdict(Case c)
    {
        try
        {
            new TesseraCertificateVerifier(TrustStore.FromCertificates(c.Roots), RevocationMode.Off)
                .Verify(new CertificateVerificationRequest(c.Chain, c.Host, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
            return (true, "");
        }
        catch (TlsException e)
        {
            return (false, e.Message);
        }
    }

    private static (bool Ok, string Why) OpenSslVerdict(Case c, string prefix)
    {
        File.WriteAllText(prefix + "-roots.pem", string.Concat(c.Roots.Select(r => r.ExportCertificatePem() + "\n")));
        File.WriteAllText(prefix + "-leaf.pem", c.Chain[0].ExportCertificatePem());
        File.WriteAllText(prefix + "-untrusted.pem", string.Concat(c.Chain.Skip(1).Select(r => r.ExportCertificatePem() + "\n")));
        var untrusted = c.Chain.Length > 1 ? $"-untrusted {prefix}-untrusted.pem " : "";
        var host = System.Net.IPAddress.TryParse(c.Host, out _) ? $"-verify_ip {c.Host}" : $"-verify_hostname {c.Host}";
        using var p = Peer.Start("openssl", $"verify -purpose sslserver {host} -CAfile {prefix}-roots.pem {untrusted}{prefix}-leaf.pem");
        var exit = p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        return (exit == 0, p.AllOutput.Trim().Replace('\n', ' '));
    }
}
