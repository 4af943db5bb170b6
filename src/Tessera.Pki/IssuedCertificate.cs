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

    /// <summary>
    /// The certificate joined with its private key, for .NET's own APIs (SslStream, X509Certificate2 consumers). ECDSA
    /// and RSA only: .NET has no Ed25519 certificate keys.
    /// </summary>
    /// <exception cref="NotSupportedException">An Ed25519 key.</exception>
    public X509Certificate2 WithPrivateKey() => Key.DotnetKey switch
    {
        System.Security.Cryptography.ECDsa ec => Certificate.CopyWithPrivateKey(ec),
        System.Security.Cryptography.RSA rsa => Certificate.CopyWithPrivateKey(rsa),
        _ => throw new NotSupportedException(".NET cannot attach an Ed25519 key to an X509Certificate2; use ToCredential"),
    };

    /// <summary>Disposes the key and the certificate.</summary>
    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
