using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Tests.Support;

/// <summary>Builds RFC 6960 BasicOCSPResponses with System.Formats.Asn1, signed by the issuer (ECDSA) or a delegated responder.</summary>
public static class OcspResponseBuilder
{
    public enum Status { Good, Revoked, Unknown }

    public static byte[] Build(X509Certificate2 certificate, X509Certificate2 issuer, Status status, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate,
        X509Certificate2? signer = null)
    {
        signer ??= issuer;
        var data = new AsnWriter(AsnEncodingRules.DER);
        using (data.PushSequence())
        {
            // responderID byKey [2]
            using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
                data.WriteOctetString(SHA1.HashData(SubjectPublicKey(signer)));
            data.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
            using (data.PushSequence())
            using (data.PushSequence())
            {
                using (data.PushSequence())
                {
                    using (data.PushSequence())
                    {
                        data.WriteObjectIdentifier("1.3.14.3.2.26");
                        data.WriteNull();
                    }
                    data.WriteOctetString(SHA1.HashData(issuer.SubjectName.RawData));
                    data.WriteOctetString(SHA1.HashData(SubjectPublicKey(issuer)));
                    data.WriteInteger(new BigInteger(certificate.GetSerialNumber(), isUnsigned: true, isBigEndian: false));
                }
                switch (status)
                {
                    case Status.Good: data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 0)); break;
                    case Status.Unknown: data.WriteNull(new Asn1Tag(TagClass.ContextSpecific, 2)); break;
                    default:
                        using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                            data.WriteGeneralizedTime(thisUpdate.AddDays(-1), omitFractionalSeconds: true);
                        break;
                }
                data.WriteGeneralizedTime(thisUpdate, omitFractionalSeconds: true);
                if (nextUpdate is { } next)
                    using (data.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                        data.WriteGeneralizedTime(next, omitFractionalSeconds: true);
            }
        }
        var tbs = data.Encode();
        using var key = signer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the OCSP signer needs an ECDSA private key");
        var signature = key.SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var basic = new AsnWriter(AsnEncodingRules.DER);
        using (basic.PushSequence())
        {
            basic.WriteEncodedValue(tbs);
            using (basic.PushSequence()) basic.WriteObjectIdentifier("1.2.840.10045.4.3.2");
            basic.WriteBitString(signature);
            if (!ReferenceEquals(signer, issuer))
                using (basic.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                using (basic.PushSequence())
                    basic.WriteEncodedValue(signer.RawData);
        }
        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            response.WriteEnumeratedValue(SuccessfulStatus.Successful);
            using (response.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            using (response.PushSequence())
            {
                response.WriteObjectIdentifier("1.3.6.1.5.5.7.48.1.1");
                response.WriteOctetString(basic.Encode());
            }
        }
        return response.Encode();
    }

    private enum SuccessfulStatus { Successful = 0 }

    private static byte[] SubjectPublicKey(X509Certificate2 cert)
    {
        var spki = new AsnReader(cert.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        return spki.ReadBitString(out _);
    }
}
