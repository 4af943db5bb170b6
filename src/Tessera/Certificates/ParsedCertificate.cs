using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// An X.509 certificate parsed once, strictly (DER), into what path validation needs (RFC 5280 §4.1–4.2):
/// names, validity, key, and the extensions Tessera enforces. Unknown extensions are kept with their
/// criticality so an unknown critical one can be refused.
/// </summary>
internal sealed class ParsedCertificate
{
    private ParsedCertificate(byte[] der) => Der = der;

    public byte[] Der { get; }
    public ReadOnlyMemory<byte> TbsCertificate { get; private set; }
    public string SignatureAlgorithm { get; private set; } = "";
    public ReadOnlyMemory<byte>? SignatureParameters { get; private set; }
    public byte[] Signature { get; private set; } = [];
    public int Version { get; private set; }
    public byte[] SerialNumber { get; private set; } = [];
    public ReadOnlyMemory<byte> IssuerName { get; private set; }
    public ReadOnlyMemory<byte> SubjectName { get; private set; }
    public X500DistinguishedName Issuer { get; private set; } = null!;
    public X500DistinguishedName Subject { get; private set; } = null!;
    public DateTimeOffset NotBefore { get; private set; }
    public DateTimeOffset NotAfter { get; private set; }
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; private set; }
    public string PublicKeyAlgorithm { get; private set; } = "";
    /// <summary>The modulus size of an RSA key (rsaEncryption or RSASSA-PSS), else 0.</summary>
    public int RsaModulusBits { get; private set; }
    /// <summary>The namedCurve OID of an EC key, else null (also null when the key gives explicit curve parameters).</summary>
    public string? EcCurve { get; private set; }
    /// <summary>Whether an EC key spells out its curve (specifiedCurve) or inherits it (implicitCurve) instead of naming it.</summary>
    public bool EcCurveNotNamed { get; private set; }
    /// <summary>Certificate policy OIDs, in order, when the extension is present.</summary>
    public List<string>? Policies { get; private set; }
    public List<(string Oid, bool Critical, ReadOnlyMemory<byte> Value)> Extensions { get; } = [];

    public bool? IsCa { get; private set; }
    public int? PathLengthConstraint { get; private set; }
    public X509KeyUsageFlags? KeyUsage { get; private set; }
    public List<string>? ExtendedKeyUsages { get; private set; }
    public List<string> DnsNames { get; } = [];
    public List<IPAddress> IpAddresses { get; } = [];
    public List<string> EmailAddresses { get; } = [];
    /// <summary>Every subjectAltName entry as read, of every form (URIs, otherNames …), for name constraints.</summary>
    internal List<GeneralName> SubjectAltNames { get; } = [];
    public bool HasSubjectAltName { get; private set; }
    public NameConstraints? NameConstraints { get; private set; }
    public byte[]? SubjectKeyIdentifier { get; private set; }
    public byte[]? AuthorityKeyIdentifier { get; private set; }
    /// <summary>Whether the authorityKeyIdentifier names the issuer's issuer and serial (authorityCertIssuer / authorityCertSerialNumber).</summary>
    public bool AuthorityKeyIdentifierNamesIssuer { get; private set; }
    /// <summary>Whether the authorityKeyIdentifier extension is present (it may lack a keyIdentifier).</summary>
    public bool HasAuthorityKeyIdentifierExtension => Has(Oids.AuthorityKeyIdentifier);

    /// <summary>An empty subject (a SEQUENCE with no RDNs): RFC 5280 §4.1.2.6 allows it only for end entities named in their SAN.</summary>
    public bool HasEmptySubject => SubjectName.Length == 2;

    /// <summary>Whether the extension is present.</summary>
    public bool Has(string oid)
    {
        foreach (var e in Extensions)
            if (e.Oid == oid) return true;
        return false;
    }

    /// <summary>Whether the extension is present and marked critical.</summary>
    public bool IsCritical(string oid)
    {
        foreach (var e in Extensions)
            if (e.Oid == oid) return e.Critical;
        return false;
    }

    /// <summary>CertificateProfileRules' verdict per (role, profile): null not judged yet, "" passes, else the rule broken.</summary>
    internal string?[] ProfileVerdicts { get; } = new string?[6];

    public bool IsSelfIssued => IssuerName.Span.SequenceEqual(SubjectName.Span);

    /// <summary>The certificate as .NET sees it, for key extraction; created on first use.</summary>
    public X509Certificate2 Certificate => _certificate ??= X509CertificateLoader.LoadCertificate(Der);
    private X509Certificate2? _certificate;

    /// <summary>The X509Certificate2 if one exists already (trust anchors handed over as loaded certificates), without loading one.</summary>
    internal X509Certificate2? LoadedCertificate => _certificate;

    /// <summary>SHA-256 of the DER, for identity and caches.</summary>
    public byte[] Fingerprint => _fingerprint ??= SHA256.HashData(Der);
    private byte[]? _fingerprint;

    /// <summary>Records a fingerprint the caller already computed over <see cref="Der"/>.</summary>
    internal void SetFingerprint(byte[] sha256) => _fingerprint = sha256;

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: the key's identity, whatever certificate carries it.</summary>
    public byte[] KeyFingerprint => _keyFingerprint ??= SHA256.HashData(SubjectPublicKeyInfo.Span);
    private byte[]? _keyFingerprint;

    /// <summary>A short name for messages: the first DNS name, else the subject's CN, else the whole subject.</summary>
    public string DisplayName
    {
        get
        {
            if (DnsNames.Count > 0) return DnsNames[0];
            try
            {
                // The last CN in the subject, read from the parsed name: loading an X509Certificate2 for it costs ≈ 120 µs.
                string? cn = null;
                foreach (var rdn in Subject.EnumerateRelativeDistinguishedNames())
                    if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3") cn = rdn.GetSingleElementValue();
                return string.IsNullOrEmpty(cn) ? Subject.Name : cn;
            }
            catch (CryptographicException)
            {
                // Found by fuzzing: the subject is DER the parser accepted, but an attribute's string does not decode
                // (a PrintableString with a forbidden character, say). A name for messages must not fail the caller.
                return $"(a subject that does not decode, {Subject.RawData.Length} bytes)";
            }
        }
    }

    public static ParsedCertificate Parse(X509Certificate2 certificate)
    {
        var parsed = Parse(certificate.RawData);
        parsed._certificate = certificate;
        return parsed;
    }

    /// <summary>Parses DER; anything malformed or not DER is bad_certificate.</summary>
    public static ParsedCertificate Parse(byte[] der)
    {
        var c = new ParsedCertificate(der);
        try
        {
            c.Decode();
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            throw new TlsException(AlertDescription.BadCertificate, $"a certificate is not valid DER X.509: {e.Message}", false, e);
        }
        return c;
    }

    private void Decode()
    {
        var outer = new AsnReader(Der, AsnEncodingRules.DER);
        var certificate = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        TbsCertificate = certificate.ReadEncodedValue();
        var (algorithm, parameters) = ReadAlgorithm(certificate);
        SignatureAlgorithm = algorithm;
        SignatureParameters = parameters;
        Signature = certificate.ReadBitString(out var unused);
        if (unused != 0) throw new AsnContentException("signature has unused bits");
        certificate.ThrowIfNotEmpty();

        var tbs = new AsnReader(TbsCertificate, AsnEncodingRules.DER).ReadSequence();
        Version = 1;
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var v = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            Version = (int)v.ReadInteger() + 1;
            v.ThrowIfNotEmpty();
            if (Version is < 1 or > 3) throw new AsnContentException($"unknown certificate version {Version}");
        }
        SerialNumber = tbs.ReadIntegerBytes().ToArray();
        var (innerAlgorithm, innerParameters) = ReadAlgorithm(tbs);
        // RFC 5280 §4.1.1.2: the signature field must match signatureAlgorithm.
        if (innerAlgorithm != SignatureAlgorithm || !SameBytes(innerParameters, SignatureParameters))
            throw new AsnContentException("the signature algorithm inside the certificate differs from the outer one");
        IssuerName = tbs.ReadEncodedValue();
        Issuer = new X500DistinguishedName(IssuerName.Span);
        var validity = tbs.ReadSequence();
        NotBefore = ReadValidityTime(validity);
        NotAfter = ReadValidityTime(validity);
        validity.ThrowIfNotEmpty();
        SubjectName = tbs.ReadEncodedValue();
        Subject = new X500DistinguishedName(SubjectName.Span);
        SubjectPublicKeyInfo = tbs.ReadEncodedValue();
        var spki = new AsnReader(SubjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        var (keyAlgorithm, keyParameters) = ReadAlgorithm(spki);
        PublicKeyAlgorithm = keyAlgorithm;
        DecodeKey(keyAlgorithm, keyParameters, spki.ReadBitString(out var keyUnused));
        if (keyUnused != 0) throw new AsnContentException("subjectPublicKey has unused bits");
        spki.ThrowIfNotEmpty();

        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1))) tbs.ReadEncodedValue();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2))) tbs.ReadEncodedValue();
        if (tbs.HasData)
        {
            if (Version != 3) throw new AsnContentException($"a version {Version} certificate carries extensions");
            var explicitExtensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3));
            var extensions = explicitExtensions.ReadSequence();
            explicitExtensions.ThrowIfNotEmpty();
            while (extensions.HasData)
            {
                var ext = extensions.ReadSequence();
                var oid = ext.ReadObjectIdentifier();
                var critical = false;
                if (ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) critical = ext.ReadBoolean();
                var value = ext.ReadOctetString();
                ext.ThrowIfNotEmpty();
                foreach (var seen in Extensions)
                    if (seen.Oid == oid) throw new AsnContentException($"extension {oid} appears twice"); // RFC 5280 §4.2
                Extensions.Add((oid, critical, value));
                DecodeExtension(oid, value);
            }
        }
        tbs.ThrowIfNotEmpty();
    }

    /// <summary>The key facts the profiles judge: RSA modulus size, EC curve naming (RFC 3279 §2.3, RFC 5480 §2.1.1).</summary>
    private void DecodeKey(string algorithm, ReadOnlyMemory<byte>? parameters, byte[] key)
    {
        switch (algorithm)
        {
            case Crypto.KeyOids.RsaEncryption:
            case Crypto.KeyOids.RsaSsaPss:
            {
                // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
                var rsa = new AsnReader(key, AsnEncodingRules.DER).ReadSequence();
                var modulus = rsa.ReadIntegerBytes().Span;
                var exponent = rsa.ReadIntegerBytes().Span;
                rsa.ThrowIfNotEmpty();
                if ((modulus[0] & 0x80) != 0 || (exponent[0] & 0x80) != 0) throw new AsnContentException("an RSA key has a negative modulus or exponent");
                if (modulus[0] == 0) modulus = modulus[1..];
                RsaModulusBits = modulus.Length == 0 ? 0 : modulus.Length * 8 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24;
                break;
            }
            case Crypto.KeyOids.EcPublicKey:
            {
                var p = new AsnReader(parameters ?? throw new AsnContentException("an EC key has no curve parameters"), AsnEncodingRules.DER);
                if (p.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier)) EcCurve = p.ReadObjectIdentifier();
                else
                {
                    p.ReadEncodedValue();
                    EcCurveNotNamed = true;
                }
                p.ThrowIfNotEmpty();
                break;
            }
        }
    }

    private void DecodeExtension(string oid, byte[] value)
    {
        var r = new AsnReader(value, AsnEncodingRules.DER);
        switch (oid)
        {
            case Oids.BasicConstraints:
            {
                var s = r.ReadSequence();
                IsCa = s.HasData && s.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && s.ReadBoolean();
                if (s.HasData)
                {
                    var len = s.ReadInteger();
                    if (len < 0 || len > 255) throw new AsnContentException("pathLenConstraint out of range");
                    PathLengthConstraint = (int)len;
                }
                s.ThrowIfNotEmpty();
                break;
            }
            case Oids.KeyUsage:
            {
                var bits = r.ReadBitString(out var unused);
                if (bits.Length > 2) throw new AsnContentException("keyUsage has more than nine bits");
                uint flags = 0;
                for (var i = 0; i < bits.Length && i < 2; i++)
                {
                    // X509KeyUsageFlags uses the first byte as-is and bit 8 (decipherOnly) as 0x8000.
                    flags |= i == 0 ? bits[0] : (uint)(bits[1] & 0x80) << 8;
                }
                _ = unused;
                KeyUsage = (X509KeyUsageFlags)flags;
                break;
            }
            case Oids.ExtendedKeyUsage:
            {
                var s = r.ReadSequence();
                ExtendedKeyUsages = [];
                while (s.HasData) ExtendedKeyUsages.Add(s.ReadObjectIdentifier());
                if (ExtendedKeyUsages.Count == 0) throw new AsnContentException("extendedKeyUsage is empty");
                break;
            }
            case Oids.SubjectAltName:
            {
                HasSubjectAltName = true;
                var s = r.ReadSequence();
                if (!s.HasData) throw new AsnContentException("subjectAltName is empty");   // RFC 5280 §4.2.1.6: SIZE (1..MAX)
                while (s.HasData)
                {
                    var name = GeneralName.Read(s);
                    SubjectAltNames.Add(name);
                    switch (name.Kind)
                    {
                        case GeneralNameKind.Dns: DnsNames.Add(name.Text!); break;
                        case GeneralNameKind.Ip: IpAddresses.Add(new IPAddress(name.Bytes!)); break;
                        case GeneralNameKind.Email: EmailAddresses.Add(name.Text!); break;
                    }
                }
                break;
            }
            case Oids.NameConstraints:
                NameConstraints = NameConstraints.Read(r);
                break;
            case Oids.SubjectKeyIdentifier:
                SubjectKeyIdentifier = r.ReadOctetString();
                break;
            case Oids.AuthorityInfoAccess:
            {
                // RFC 5280 §4.2.2.1: SEQUENCE SIZE (1..MAX) OF AccessDescription { accessMethod, accessLocation GeneralName }
                var s = r.ReadSequence();
                if (!s.HasData) throw new AsnContentException("authorityInfoAccess is empty");
                while (s.HasData)
                {
                    var d = s.ReadSequence();
                    d.ReadObjectIdentifier();
                    GeneralName.Read(d);
                    d.ThrowIfNotEmpty();
                }
                break;
            }
            case Oids.CrlDistributionPoints:
                ReadDistributionPoints(r);
                break;
            case Oids.CertificatePolicies:
            {
                // RFC 5280 §4.2.1.4: SEQUENCE SIZE (1..MAX) OF PolicyInformation; an OID at most once.
                var s = r.ReadSequence();
                Policies = [];
                var seen = new HashSet<string>(StringComparer.Ordinal);   // a hostile list of thousands must not cost n²
                while (s.HasData)
                {
                    var info = s.ReadSequence();
                    var policy = info.ReadObjectIdentifier();
                    if (!seen.Add(policy)) throw new AsnContentException($"certificatePolicies lists {policy} twice");
                    Policies.Add(policy);
                    if (info.HasData)
                    {
                        var qualifiers = info.ReadSequence();
                        if (!qualifiers.HasData) throw new AsnContentException("policyQualifiers is empty");
                        while (qualifiers.HasData)
                        {
                            var q = qualifiers.ReadSequence();
                            q.ReadObjectIdentifier();
                            q.ReadEncodedValue();
                            q.ThrowIfNotEmpty();
                        }
                    }
                    info.ThrowIfNotEmpty();
                }
                if (Policies.Count == 0) throw new AsnContentException("certificatePolicies is empty");
                break;
            }
            case Oids.AuthorityKeyIdentifier:
            {
                var s = r.ReadSequence();
                if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    AuthorityKeyIdentifier = s.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                // RFC 5280 §4.2.1.1: authorityCertIssuer [1] and authorityCertSerialNumber [2] come together or not at all.
                var namesIssuer = false;
                if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                {
                    var names = s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1));
                    while (names.HasData) GeneralName.Read(names);
                    namesIssuer = true;
                }
                if (s.HasData)
                {
                    if (!namesIssuer) throw new AsnContentException("authorityKeyIdentifier has a serial number without an issuer");
                    s.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 2));
                }
                else if (namesIssuer) throw new AsnContentException("authorityKeyIdentifier has an issuer without a serial number");
                s.ThrowIfNotEmpty();
                AuthorityKeyIdentifierNamesIssuer = namesIssuer;
                break;
            }
            default:
                return;   // not interpreted; criticality is judged during validation
        }
        r.ThrowIfNotEmpty();
    }

    /// <summary>RFC 5280 §4.2.1.13 CRLDistributionPoints, read in full so a malformed one is an error rather than skipped.</summary>
    private static void ReadDistributionPoints(AsnReader r)
    {
        var s = r.ReadSequence();
        if (!s.HasData) throw new AsnContentException("cRLDistributionPoints is empty");
        while (s.HasData)
        {
            var dp = s.ReadSequence();
            var named = false;
            if (dp.HasData && dp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                var name = dp.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                var tag = name.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    var full = name.ReadSequence(tag);
                    if (!full.HasData) throw new AsnContentException("a distribution point's fullName is empty");
                    while (full.HasData) GeneralName.Read(full);
                }
                else if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true))) name.ReadSetOf(tag);
                else throw new AsnContentException("a distribution point's name is neither fullName nor nameRelativeToCRLIssuer");
                name.ThrowIfNotEmpty();
                named = true;
            }
            if (dp.HasData && dp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1))) dp.ReadBitString(out _, new Asn1Tag(TagClass.ContextSpecific, 1));
            var hasIssuer = false;
            if (dp.HasData && dp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
            {
                var issuer = dp.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2));
                while (issuer.HasData) GeneralName.Read(issuer);
                hasIssuer = true;
            }
            dp.ThrowIfNotEmpty();
            // RFC 5280 §4.2.1.13: a DistributionPoint MUST NOT consist of only the reasons field.
            if (!named && !hasIssuer) throw new AsnContentException("a distribution point has neither a name nor a cRLIssuer");
        }
    }

    internal static (string Oid, ReadOnlyMemory<byte>? Parameters) ReadAlgorithm(AsnReader reader)
    {
        var s = reader.ReadSequence();
        var oid = s.ReadObjectIdentifier();
        // Not `s.HasData ? s.ReadEncodedValue() : null`: that null converts through byte[] to an empty ReadOnlyMemory, so
        // absent parameters would read as present and empty.
        ReadOnlyMemory<byte>? parameters = null;
        if (s.HasData) parameters = s.ReadEncodedValue();
        s.ThrowIfNotEmpty();
        return (oid, parameters);
    }

    internal static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>
    /// A certificate's validity time, as RFC 5280 §4.1.2.5 fixes it: UTCTime through 2049, GeneralizedTime from 2050,
    /// whole seconds only (§4.1.2.5.2 forbids fractional seconds). .NET's DER reader already requires the 'Z' form.
    /// </summary>
    private static DateTimeOffset ReadValidityTime(AsnReader reader)
    {
        var utc = reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime);
        var time = utc ? reader.ReadUtcTime(twoDigitYearMax: 2049) : reader.ReadGeneralizedTime();
        if (!utc && time.Year < 2050) throw new AsnContentException($"a validity time in {time.Year} is a GeneralizedTime; RFC 5280 §4.1.2.5 requires UTCTime before 2050");
        if (time.Ticks % TimeSpan.TicksPerSecond != 0) throw new AsnContentException("a validity time has fractional seconds, which RFC 5280 §4.1.2.5.2 forbids");
        return time;
    }

    private static bool SameBytes(ReadOnlyMemory<byte>? a, ReadOnlyMemory<byte>? b) =>
        a is null ? b is null : b is not null && a.Value.Span.SequenceEqual(b.Value.Span);
}
