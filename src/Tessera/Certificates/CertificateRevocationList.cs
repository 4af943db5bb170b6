#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>An X.509 CRL (RFC 5280 §5) supplied by the caller; checked against its issuer's key before it is believed.</summary>
public sealed class CertificateRevocationList
{
    private readonly HashSet<BigInteger> _revoked = [];

    private CertificateRevocationList(byte[] der) => Der = der;

    public byte[] Der { get; }
    internal ReadOnlyMemory<byte> IssuerName { get; private set; }
    public DateTimeOffset ThisUpdate { get; private set; }
    public DateTimeOffset? NextUpdate { get; private set; }
    private ReadOnlyMemory<byte> _tbs;
    private string _algorithm = "";
    private ReadOnlyMemory<byte>? _parameters;
    private byte[] _signature = [];

    public static CertificateRevocationList Parse(byte[] der)
    {
        var crl = new CertificateRevocationList(der);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            crl._tbs = seq.ReadEncodedValue();
            (crl._algorithm, crl._parameters) = ParsedCertificate.ReadAlgorithm(seq);
            crl._signature = seq.ReadBitString(out _);
            var tbs = new AsnReader(crl._tbs, AsnEncodingRules.DER).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger();
            ParsedCertificate.ReadAlgorithm(tbs);
            crl.IssuerName = tbs.ReadEncodedValue();
            crl.ThisUpdate = ParsedCertificate.ReadTime(tbs);
            if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
                crl.NextUpdate = ParsedCertificate.ReadTime(tbs);
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = tbs.ReadSequence();
                while (revoked.HasData)
                {
                    var entry = revoked.ReadSequence();
                    crl._revoked.Add(entry.ReadInteger());
                    entry.ReadEncodedValue();   // revocationDate; entry extensions follow and are not needed
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new ArgumentException($"not a DER X.509 CRL: {e.Message}", nameof(der), e);
        }
        return crl;
    }

    public static CertificateRevocationList FromPem(string pem) => Parse(PemEncoding.Find(pem) is var f ? Convert.FromBase64String(pem[f.Base64Data]) : []);

    /// <summary>
    /// Whether this CRL was issued by <paramref name="issuer"/> and its signature verifies. A CRL whose signature
    /// cannot be checked (an algorithm Tessera refuses or does not know) is not believed, like one that does not
    /// verify (RFC 5280 §6.3.3: the CRL is then no evidence either way). Found by fuzzing: the verifier's refusal
    /// used to escape from here and fail the whole chain, in soft-fail mode too.
    /// </summary>
    internal bool IsSignedBy(ParsedCertificate issuer)
    {
        if (!IssuerName.Span.SequenceEqual(issuer.SubjectName.Span)) return false;
        try
        {
            return SignedDataVerifier.Verify(_algorithm, _parameters, _tbs.Span, _signature, issuer, "a CRL");
        }
        catch (TlsException e) when (e.Alert is AlertDescription.UnsupportedCertificate or AlertDescription.BadCertificate)
        {
            return false;
        }
    }

    internal bool IsFresh(DateTimeOffset now) => ThisUpdate <= now + TimeSpan.FromMinutes(5) && (NextUpdate is null || now <= NextUpdate);

    internal bool Lists(ParsedCertificate certificate) => _revoked.Contains(new BigInteger(certificate.SerialNumber, isUnsigned: false, isBigEndian: true));

    internal static TlsException Revoked(ParsedCertificate certificate, string source) =>
        new(AlertDescription.CertificateRevoked, $"certificate '{certificate.DisplayName}' (serial {Convert.ToHexStringLower(certificate.SerialNumber)}) has been revoked according to {source}");
}
