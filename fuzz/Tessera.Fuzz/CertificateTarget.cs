using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;

namespace Tessera.Fuzz;

/// <summary>
/// The certificate parser and the verifier. The input is a chain as TLS carries it (each DER certificate behind a
/// two-byte length); each is parsed, and the chain is verified for "localhost" with the last certificate as the only
/// trusted root, so path building, signatures, names, constraints and policies all see hostile input.
/// </summary>
internal sealed class CertificateTarget : IFuzzTarget
{
    public string Name => "certificate";

    public string Description => "ParsedCertificate.Parse on each certificate of a length-prefixed chain, then TesseraCertificateVerifier with the last one as root";

    public void Run(byte[] input)
    {
        var ders = new List<byte[]>();
        for (var at = 0; at + 2 <= input.Length && ders.Count < 8;)
        {
            var length = input[at] << 8 | input[at + 1];
            at += 2;
            if (length == 0 || at + length > input.Length) break;
            ders.Add(input.AsSpan(at, length).ToArray());
            at += length;
        }
        if (ders.Count == 0) return;
        var chain = new List<X509Certificate2>();
        foreach (var der in ders)
        {
            try
            {
                ParsedCertificate.Parse(der);
            }
            catch (TlsException)
            {
                // bad_certificate: the parser's one answer to malformed DER.
            }
            try
            {
                chain.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                return;   // .NET will not load it, so no TLS peer chain could carry it to the verifier as an X509Certificate2
            }
        }
        try
        {
            new TesseraCertificateVerifier(TrustStore.FromCertificates(chain[^1]))
                .Verify(new CertificateVerificationRequest(chain, "localhost", CertificatePurpose.ServerAuthentication, FixedClock.Instant));
        }
        catch (TlsException)
        {
        }
        finally
        {
            foreach (var c in chain) c.Dispose();
        }
    }
}
