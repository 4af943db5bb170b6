using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;

namespace Tessera.Pki;

/// <summary>A certificate a <see cref="CertificateIssuer"/> made, with its new key.</summary>
/// <param name="Certificate">The certificate (public part).</param>
/// <param name="Key">Its private key.</param>
public sealed record IssuedCertificate(X509Certificate2 Certificate, CaKey Key) : IDisposable
{
    /// <summary>The certificate as PEM, followed by a newline.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public string KeyPem => Key.ExportPem();

    /// <summary>A credential Tessera can serve or authenticate with: this certificate, then <paramref name="chain"/> (intermediates).</summary>
    public TlsCredential ToCredential(params X509Certificate2[] chain)
    {
        var pem = CertificatePem;
        foreach (var c in chain) pem += c.ExportCertificatePem() + "\n";
        return TlsCredential.FromPem(pem, KeyPem);
    }

    /// <summary>Disposes the key and the certificate.</summary>
    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
