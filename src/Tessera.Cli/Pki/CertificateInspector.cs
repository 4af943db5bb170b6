using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using Tessera.Certificates;
using Tessera.Cli.Cli;
using Tessera.Crypto;

namespace Tessera.Cli.Pki;

/// <summary>`tessera ca inspect`: prints certificates (a chain), CSRs and CRLs in PEM or DER with fingerprints, and a verdict for a chain.</summary>
internal static class CertificateInspector
{
    public static int Inspect(IAnsiConsole console, string path, TrustStore? trust, string? host, bool lint = false, IReadOnlyList<CertificateRevocationList>? crls = null)
    {
        var bytes = Files.Read(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal))
            return InspectRequest(console, text);
        if (text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
            return InspectCrl(console, Convert.FromBase64String(text[PemEncoding.Find(text).Base64Data]));

        var chain = new List<X509Certificate2>();
        try
        {
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(text);
                chain.AddRange(collection);
            }
            else
            {
                chain.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
        }
        catch (CryptographicException e)
        {
            throw new CliException(ExitCodes.FileError, $"{path} is not a certificate, request or CRL: {e.Message}", e);
        }
        foreach (var cert in chain) WriteCertificate(console, cert);
        var linted = lint ? Lint(console, chain) : ExitCodes.Success;
        if (trust is null) return linted;
        try
        {
            // With --crl, a certificate the CRL lists is refused (SoftFail: no CRL for a certificate is not a refusal).
            var revocation = crls is { Count: > 0 } ? RevocationMode.SoftFail : RevocationMode.Off;
            new TesseraCertificateVerifier(trust, revocation, crls).Verify(new CertificateVerificationRequest(
                chain, host, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
            console.MarkupLine($"[green]verdict: trusted[/] ({Markup.Escape(trust.Description)}{(host is null ? "" : $", name {Markup.Escape(host)}")}{(revocation == RevocationMode.Off ? "" : ", not revoked by the CRL")})");
            return linted;
        }
        catch (TlsException e)
        {
            // Refused by the Web PKI profile: say whether a private-PKI client (RFC 5280 profile) would accept it, since
            // an Ed25519 CA from `tessera ca init --key-type ed25519` is fine there but outside the Baseline Requirements.
            try
            {
                new TesseraCertificateVerifier(trust, crls is { Count: > 0 } ? RevocationMode.SoftFail : RevocationMode.Off, crls, profile: VerificationProfile.Rfc5280).Verify(new CertificateVerificationRequest(
                    chain, host, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
                console.MarkupLine($"[yellow]verdict: trusted under the RFC 5280 profile only[/] (a private PKI; clients must select it): the Web PKI profile refuses it: {Markup.Escape(e.Message)}");
                return linted;
            }
            catch (TlsException)
            {
                console.MarkupLine($"[red]verdict: refused[/]: {Markup.Escape(e.Message)}");
                return ExitCodes.VerificationFailed;
            }
        }
    }

    /// <summary>
    /// `--lint`: the issuance rules each certificate breaks (<see cref="IssuanceLint"/>), one line each, or one line
    /// saying there are none. These never refuse a chain (browsers accept them); the CA should fix them when it next issues.
    /// </summary>
    private static int Lint(IAnsiConsole console, List<X509Certificate2> chain)
    {
        var any = false;
        foreach (var cert in chain)
        {
            IReadOnlyList<string> findings;
            try
            {
                findings = IssuanceLint.Check(cert);
            }
            catch (TlsException e)
            {
                findings = [$"cannot be read for the issuance rules: {e.Message}"];
            }
            foreach (var finding in findings)
            {
                any = true;
                console.MarkupLine($"[yellow]lint:[/] '{Markup.Escape(global::Tessera.Diagnostics.PeerText.Clip(cert.Subject, 256))}' {Markup.Escape(finding)}");
            }
        }
        if (!any) console.MarkupLine("[green]lint: no issuance rule is broken[/]");
        return any ? ExitCodes.LintFindings : ExitCodes.Success;
    }

    public static void WriteCertificate(IAnsiConsole console, X509Certificate2 cert)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("certificate").AddColumn(Markup.Escape(cert.Subject));
        void Add(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Add("subject", cert.Subject);
        Add("issuer", cert.Issuer);
        Add("serial", cert.SerialNumber.ToLowerInvariant());
        Add("not before", cert.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Add("not after", cert.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Add("key", KeyDescription.Of(cert));
        Add("signature", cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value ?? "?");
        var (dns, ips) = HostnameMatcher.Names(cert);
        var names = dns.Concat(ips.Select(i => i.ToString())).ToList();
        Add("subject alt names", names.Count == 0 ? "none" : string.Join(", ", names));
        foreach (var ext in cert.Extensions)
        {
            switch (ext)
            {
                case X509BasicConstraintsExtension bc:
                    Add("basic constraints", bc.CertificateAuthority ? $"CA{(bc.HasPathLengthConstraint ? $", pathlen {bc.PathLengthConstraint}" : "")}" : "end entity");
                    break;
                case X509KeyUsageExtension ku:
                    Add("key usage", ku.KeyUsages.ToString());
                    break;
                case X509EnhancedKeyUsageExtension eku:
                    Add("extended key usage", string.Join(", ", eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.FriendlyName ?? o.Value)));
                    break;
            }
        }
        Add("SHA-256 fingerprint", Convert.ToHexString(SHA256.HashData(cert.RawData)));
        Add("SHA-1 fingerprint", Convert.ToHexString(SHA1.HashData(cert.RawData)));
        console.Write(table);
    }

    private static int InspectRequest(IAnsiConsole console, string pem)
    {
        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("certificate request").AddColumn(Markup.Escape(request.SubjectName.Name));
        table.AddRow("subject", Markup.Escape(request.SubjectName.Name));
        table.AddRow("key", Markup.Escape(request.PublicKey.Oid.FriendlyName ?? request.PublicKey.Oid.Value ?? "?"));
        foreach (var ext in request.CertificateExtensions)
            if (ext is X509SubjectAlternativeNameExtension san)
                table.AddRow("subject alt names", Markup.Escape(string.Join(", ", san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(i => i.ToString())))));
        console.Write(table);
        return ExitCodes.Success;
    }

    private static int InspectCrl(IAnsiConsole console, byte[] der)
    {
        var crl = CertificateRevocationList.Parse(der);
        console.MarkupLine($"CRL this update {crl.ThisUpdate:yyyy-MM-dd HH:mm} UTC, next update {(crl.NextUpdate is { } n ? n.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "none")}");
        if (crl.Defect is { } defect) console.MarkupLine($"[yellow]not usable: {Markup.Escape(defect)}[/]");
        console.MarkupLine(crl.Entries.Count == 0 ? "no revoked certificates" : $"{crl.Entries.Count} revoked:");
        foreach (var (serial, date) in crl.Entries)
            console.MarkupLine($"  serial {Convert.ToHexStringLower(serial.ToByteArray(isUnsigned: true, isBigEndian: true))}  revoked {date.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        return ExitCodes.Success;
    }
}
