using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>An X.509 CRL (RFC 5280 §5) supplied by the caller; checked against its issuer's key before it is believed.</summary>
public sealed class CertificateRevocationList
{
    private readonly HashSet<BigInteger> _revoked = [];
    private readonly List<(BigInteger Serial, DateTimeOffset RevocationDate)> _entries = [];

    private CertificateRevocationList(byte[] der) => Der = der;

    /// <summary>The CRL as given (DER).</summary>
    public byte[] Der { get; }
    internal ReadOnlyMemory<byte> IssuerName { get; private set; }
    /// <summary>The revoked certificates' serial numbers with their revocation dates, in the CRL's order.</summary>
    public IReadOnlyList<(BigInteger Serial, DateTimeOffset RevocationDate)> Entries => _entries;
    /// <summary>When the CRL was issued.</summary>
    public DateTimeOffset ThisUpdate { get; private set; }
    /// <summary>When the next one is due; a CRL past it is stale.</summary>
    public DateTimeOffset? NextUpdate { get; private set; }
    private ReadOnlyMemory<byte> _tbs;
    private string _algorithm = "";
    private ReadOnlyMemory<byte>? _parameters;
    private byte[] _signature = [];

    /// <summary>Parses a DER CRL; throws <see cref="ArgumentException"/> for one that does not parse (its signature is checked later, against its issuer).</summary>
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
            var version = 1;
            // A hostile version INTEGER may not fit an int (found by the pem fuzz target): out of range is a defect, never an overflow.
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) version = tbs.TryReadInt32(out var v) && v is >= 0 and < 16 ? v + 1 : -1;
            var (innerAlgorithm, _) = ParsedCertificate.ReadAlgorithm(tbs);
            if (innerAlgorithm != crl._algorithm) throw new AsnContentException("the signature algorithm inside the CRL differs from the outer one");   // §5.1.2.2
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
                    var serial = entry.ReadInteger();
                    crl._revoked.Add(serial);
                    crl._entries.Add((serial, ParsedCertificate.ReadTime(entry)));
                    // RFC 5280 §5.3: a critical entry extension Tessera cannot process means the CRL must not be used.
                    if (entry.HasData)
                        foreach (var (oid, critical) in ReadExtensions(entry.ReadSequence()))
                            if (critical && oid is not (ReasonCode or InvalidityDate))
                                crl.Defect ??= $"it has a critical entry extension {oid} Tessera cannot process (RFC 5280 §5.3)";
                    entry.ThrowIfNotEmpty();
                }
            }
            var crlNumber = false;
            if (tbs.HasData)
            {
                var explicitExtensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                foreach (var (oid, critical) in ReadExtensions(explicitExtensions.ReadSequence()))
                {
                    if (oid == Oids.CrlNumber)
                    {
                        crlNumber = true;
                        if (critical) crl.Defect ??= "it marks cRLNumber critical, which RFC 5280 §5.2.3 forbids";
                    }
                    else if (critical && oid != Oids.AuthorityKeyIdentifier)
                        crl.Defect ??= $"it has a critical extension {oid} Tessera cannot process (RFC 5280 §5.2; delta and partitioned CRLs are not supported)";
                }
                explicitExtensions.ThrowIfNotEmpty();
            }
            tbs.ThrowIfNotEmpty();
            if (version != 2) crl.Defect ??= version < 0 ? "its version field is out of range; RFC 5280 §5.1.2.1 requires version 2" : $"it is a version {version} CRL; RFC 5280 §5.1.2.1 requires version 2";
            else if (!crlNumber) crl.Defect ??= "it has no cRLNumber, which RFC 5280 §5.2.3 requires";
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new ArgumentException($"not a DER X.509 CRL: {e.Message}", nameof(der), e);
        }
        return crl;
    }

    private const string ReasonCode = "2.5.29.21";
    private const string InvalidityDate = "2.5.29.24";

    /// <summary>Why this CRL is not believed whatever its signature (no cRLNumber, a critical extension Tessera cannot process …), or null.</summary>
    public string? Defect { get; private set; }

    private static List<(string Oid, bool Critical)> ReadExtensions(AsnReader extensions)
    {
        var list = new List<(string, bool)>();
        while (extensions.HasData)
        {
            var ext = extensions.ReadSequence();
            var oid = ext.ReadObjectIdentifier();
            var critical = ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && ext.ReadBoolean();
            ext.ReadOctetString();
            ext.ThrowIfNotEmpty();
            foreach (var (seen, _) in list)
                if (seen == oid) throw new AsnContentException($"extension {oid} appears twice");
            list.Add((oid, critical));
        }
        return list;
    }

    /// <summary>Parses the first PEM block of <paramref name="pem"/> as a CRL.</summary>
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
        // RFC 5280 §6.3.3 (f): an issuer whose keyUsage lacks cRLSign may not sign CRLs, so its CRL is no evidence.
        if (issuer.KeyUsage is { } usage && (usage & System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.CrlSign) == 0) return false;
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
