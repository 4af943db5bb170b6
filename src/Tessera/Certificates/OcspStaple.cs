using System.Formats.Asn1;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>What a stapled OCSP response says about a certificate, once verified.</summary>
public enum OcspStatus
{
    /// <summary>The certificate is not revoked.</summary>
    Good,
    /// <summary>The certificate is revoked.</summary>
    Revoked,
    /// <summary>The responder does not know the certificate.</summary>
    Unknown,
}

/// <summary>A verified OCSP response's verdict and the window it is valid in (<see cref="Expires"/>: nextUpdate, or thisUpdate + 1 day without one).</summary>
/// <param name="Status">What the responder says.</param>
/// <param name="ThisUpdate">When it said so.</param>
/// <param name="Expires">Until when the response may be used: nextUpdate, or thisUpdate + 1 day without one.</param>
public readonly record struct OcspVerdict(OcspStatus Status, DateTimeOffset ThisUpdate, DateTimeOffset Expires);

/// <summary>
/// A stapled OCSP response (RFC 6960 §4.2), verified for one certificate: signed by the issuer or by a responder
/// the issuer delegated (id-kp-OCSPSigning), for this certificate's CertID, and fresh (thisUpdate not in the
/// future, nextUpdate not passed; a response without nextUpdate counts for one day). Nonces are not expected:
/// staples are fetched by the server ahead of time.
/// </summary>
public static class OcspStaple
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LifetimeWithoutNextUpdate = TimeSpan.FromDays(1);

    /// <summary>Returns the verified status, or throws a TlsException (bad_certificate_status_response) saying why the staple is unusable.</summary>
    internal static OcspStatus Check(byte[] response, ParsedCertificate certificate, ParsedCertificate issuer, DateTimeOffset now) =>
        Verify(response, certificate, issuer, now).Status;

    /// <summary>
    /// Verifies a DER OCSPResponse for <paramref name="certificate"/> issued by <paramref name="issuer"/> at
    /// <paramref name="now"/>; throws a <see cref="TlsException"/> (bad_certificate_status_response) saying why it is
    /// unusable. What a server that staples its own responses asks before it staples one, and schedules refreshes by.
    /// </summary>
    public static OcspVerdict Verify(byte[] response, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate,
        System.Security.Cryptography.X509Certificates.X509Certificate2 issuer, DateTimeOffset now) =>
        Verify(response, ParsedCertificate.Parse(certificate), ParsedCertificate.Parse(issuer), now);

    /// <summary>As <see cref="Check"/>, with the validity window (a server stapling its own responses schedules refreshes by it).</summary>
    internal static OcspVerdict Verify(byte[] response, ParsedCertificate certificate, ParsedCertificate issuer, DateTimeOffset now)
    {
        try
        {
            return CheckCore(response, certificate, issuer, now);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or OverflowException)
        {
            throw Bad($"the stapled OCSP response is malformed: {e.Message}");
        }
    }

    private static OcspVerdict CheckCore(byte[] response, ParsedCertificate certificate, ParsedCertificate issuer, DateTimeOffset now)
    {
        var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        var status = outer.ReadEnumeratedValue<ResponseStatus>();
        if (status != ResponseStatus.Successful) throw Bad($"the stapled OCSP response reports {status}");
        var bytes = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        if (bytes.ReadObjectIdentifier() != Oids.OcspBasic) throw Bad("the stapled OCSP response is not a basic response");
        var basic = new AsnReader(bytes.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
        var tbs = basic.ReadEncodedValue();
        var (algorithm, parameters) = ParsedCertificate.ReadAlgorithm(basic);
        var signature = basic.ReadBitString(out _);
        var embedded = new List<ParsedCertificate>();
        if (basic.HasData)
        {
            var certs = basic.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            while (certs.HasData) embedded.Add(ParsedCertificate.Parse(certs.ReadEncodedValue().ToArray()));
        }

        var data = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        if (data.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0))) data.ReadEncodedValue();
        data.ReadEncodedValue();                   // responderID, byName [1] or byKey [2]: the signer is found by trying keys below
        data.ReadGeneralizedTime();                // producedAt
        var responses = data.ReadSequence();

        _ = FindSigner(tbs.Span, algorithm, parameters, signature, issuer, embedded, now)
            ?? throw Bad("the stapled OCSP response is not signed by the certificate's issuer or a responder it authorised");

        while (responses.HasData)
        {
            var single = responses.ReadSequence();
            var certId = single.ReadSequence();
            var hashAlgorithm = ParsedCertificate.ReadAlgorithm(certId).Oid;
            var nameHash = certId.ReadOctetString();
            var keyHash = certId.ReadOctetString();
            var serial = certId.ReadIntegerBytes().ToArray();
            if (!serial.AsSpan().SequenceEqual(certificate.SerialNumber) || !Matches(hashAlgorithm, nameHash, keyHash, issuer)) continue;

            var statusTag = single.PeekTag();
            single.ReadEncodedValue();
            var thisUpdate = single.ReadGeneralizedTime();
            DateTimeOffset? nextUpdate = null;
            if (single.HasData && single.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                nextUpdate = single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadGeneralizedTime();
            if (thisUpdate > now + Skew) throw Bad($"the stapled OCSP response is dated in the future ({thisUpdate:yyyy-MM-dd HH:mm} UTC)");
            var expires = nextUpdate ?? thisUpdate + LifetimeWithoutNextUpdate;
            if (now > expires + Skew) throw Bad($"the stapled OCSP response expired on {expires:yyyy-MM-dd HH:mm} UTC");
            var verdict = statusTag.TagValue switch
            {
                0 => OcspStatus.Good,
                1 => OcspStatus.Revoked,
                _ => OcspStatus.Unknown,
            };
            return new OcspVerdict(verdict, thisUpdate, expires);
        }
        throw Bad("the stapled OCSP response does not cover this certificate");
    }

    private static ParsedCertificate? FindSigner(ReadOnlySpan<byte> tbs, string algorithm, ReadOnlyMemory<byte>? parameters, byte[] signature,
        ParsedCertificate issuer, List<ParsedCertificate> embedded, DateTimeOffset now)
    {
        if (SignedDataVerifier.Verify(algorithm, parameters, tbs, signature, issuer, "the OCSP response")) return issuer;
        // RFC 6960 §4.2.2.2: a delegated responder is issued directly by the CA and carries id-kp-OCSPSigning.
        foreach (var responder in embedded)
        {
            if (!responder.IssuerName.Span.SequenceEqual(issuer.SubjectName.Span)) continue;
            if (responder.ExtendedKeyUsages is not { } ekus || !ekus.Contains(Oids.OcspSigning)) continue;
            if (now < responder.NotBefore || now > responder.NotAfter) continue;
            if (!SignedDataVerifier.Verify(responder.SignatureAlgorithm, responder.SignatureParameters, responder.TbsCertificate.Span, responder.Signature, issuer, "the OCSP responder certificate")) continue;
            if (SignedDataVerifier.Verify(algorithm, parameters, tbs, signature, responder, "the OCSP response")) return responder;
        }
        return null;
    }

    /// <summary>CertID names the issuer by hashes of its subject name and of its public key's BIT STRING contents.</summary>
    private static bool Matches(string hashAlgorithm, byte[] nameHash, byte[] keyHash, ParsedCertificate issuer)
    {
        var hash = hashAlgorithm switch
        {
            Oids.Sha1 => HashAlgorithmName.SHA1,    // SHA-1 here only identifies, it does not authenticate
            Oids.Sha256 => HashAlgorithmName.SHA256,
            Oids.Sha384 => HashAlgorithmName.SHA384,
            Oids.Sha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default) return false;
        var spki = new AsnReader(issuer.SubjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        var key = spki.ReadBitString(out _);
        return CryptographicOperations.FixedTimeEquals(Hash(hash, issuer.SubjectName.Span), nameHash) &&
               CryptographicOperations.FixedTimeEquals(Hash(hash, key), keyHash);
    }

    private static byte[] Hash(HashAlgorithmName name, ReadOnlySpan<byte> data) =>
        name == HashAlgorithmName.SHA1 ? SHA1.HashData(data) :
        name == HashAlgorithmName.SHA256 ? SHA256.HashData(data) :
        name == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : SHA512.HashData(data);

    private static TlsException Bad(string message) => new(AlertDescription.BadCertificateStatusResponse, message);

    private enum ResponseStatus { Successful = 0, MalformedRequest = 1, InternalError = 2, TryLater = 3, SigRequired = 5, Unauthorized = 6 }
}
