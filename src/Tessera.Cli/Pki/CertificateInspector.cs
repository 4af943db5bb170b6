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
    public static int Inspect(IAnsiConsole console, string path, TrustStore? trust, string? host)
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
        if (trust is null) return ExitCodes.Success;
        try
        {
            new TesseraCertificateVerifier(trust, RevocationMode.Off).Verify(new CertificateVerificationRequest(
                chain, host, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
            console.MarkupLine($"[green]verdict: trusted[/] ({Markup.Escape(trust.Description)}{(host is null ? "" : $", name {Markup.Escape(host)}")})");
            return ExitCodes.Success;
        }
        catch (TlsException e)
        {
            // Refused by the Web PKI profile: say whether a private-PKI client (RFC 5280 profile) would accept it, since
            // an Ed25519 CA from `tessera ca init --key-type ed25519` is fine there but outside the Baseline Requirements.
            try
            {
                new TesseraCertificateVerifier(trust, RevocationMode.Off, profile: VerificationProfile.Rfc5280).Verify(new CertificateVerificationRequest(
                    chain, host, CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
                console.MarkupLine($"[yellow]verdict: trusted under the RFC 5280 profile only[/] (a private PKI; clients must select it): the Web PKI profile refuses it: {Markup.Escape(e.Message)}");
                return ExitCodes.Success;
            }
            catch (TlsException)
            {
                console.MarkupLine($"[red]verdict: refused[/]: {Markup.Escape(e.Message)}");
                return ExitCodes.VerificationFailed;
            }
        }
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
        return ExitCodes.Success;
    }
}
