using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Proxy.Ocsp;

/// <summary>
/// RFC 6960 §4.1.1: an unsigned OCSPRequest for one certificate. The CertID uses SHA-1 (RFC 5019 §2.1.1, what
/// responders serving many clients, Let's Encrypt's among them, require; here SHA-1 only names the issuer, it
/// authenticates nothing). No nonce: a response made ahead of time for everyone is what a staple is (RFC 5019 §2.1).
/// </summary>
internal static class OcspRequest
{
    private const string Sha1Oid = "1.3.14.3.2.26";

    public static byte[] Build(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var issuerKey = SubjectPublicKeyBits(issuer);
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())                        // OCSPRequest
        using (w.PushSequence())                        // TBSRequest (version v1 is the default, so absent)
        using (w.PushSequence())                        // requestList
        using (w.PushSequence())                        // Request
        using (w.PushSequence())                        // CertID
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Sha1Oid);
                w.WriteNull();
            }
            w.WriteOctetString(SHA1.HashData(issuer.SubjectName.RawData));
            w.WriteOctetString(SHA1.HashData(issuerKey));
            w.WriteInteger(certificate.SerialNumberBytes.Span);   // the certificate's own INTEGER, byte for byte
        }
        return w.Encode();
    }

    /// <summary>The subjectPublicKey BIT STRING's contents of the issuer (what issuerKeyHash is taken over).</summary>
    private static byte[] SubjectPublicKeyBits(X509Certificate2 issuer)
    {
        var spki = new AsnReader(issuer.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        return spki.ReadBitString(out _);
    }
}
