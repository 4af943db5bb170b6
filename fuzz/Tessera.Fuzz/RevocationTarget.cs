using Tessera.Certificates;

namespace Tessera.Fuzz;

/// <summary>
/// CRL and OCSP parsing. Even first byte: the rest is a DER CRL (refused with <see cref="ArgumentException"/>, the
/// parser's documented answer), then checked the way the verifier uses one: signed by the fuzz root, fresh, listing
/// the fuzz server certificate. Odd: the rest is a stapled OCSP response
/// checked for the fuzz server certificate and its root (refused with <see cref="TlsException"/>).
/// </summary>
internal sealed class RevocationTarget : IFuzzTarget
{
    public string Name => "revocation";

    public string Description => "CertificateRevocationList.Parse + Lists, and OcspStaple.Verify for a fixed certificate and issuer";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var body = input[1..];
        if (input[0] % 2 == 0)
        {
            try
            {
                var crl = CertificateRevocationList.Parse(body);
                if (crl.IsSignedBy(ParsedCertificate.Parse(FuzzCredential.Root)) && crl.IsFresh(FixedClock.Instant))
                    crl.Lists(ParsedCertificate.Parse(FuzzCredential.Server.Chain[0]));
            }
            catch (ArgumentException)
            {
            }
            return;
        }
        try
        {
            OcspStaple.Verify(body, ParsedCertificate.Parse(FuzzCredential.Server.Chain[0]), ParsedCertificate.Parse(FuzzCredential.Root), FixedClock.Instant);
        }
        catch (TlsException)
        {
        }
    }
}
