using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Tests.Support;

/// <summary>
/// Makes one certificate at a time with exactly the extensions a verifier test needs (ECDSA P-256 keys,
/// unless the test signs with RSA to get SHA-1). Each result carries its private key so it can issue more.
/// </summary>
internal static class CertBuilder
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public sealed record Spec
    {
        public required string Subject { get; init; }
        public bool IsCa { get; init; }
        public int? PathLength { get; init; }
        public X509KeyUsageFlags? KeyUsage { get; init; }
        public string[]? Ekus { get; init; }
        public string[] Dns { get; init; } = [];
        public string[] Ips { get; init; } = [];
        public DateTimeOffset NotBefore { get; init; } = Now.AddDays(-10);
        public DateTimeOffset NotAfter { get; init; } = Now.AddYears(1);
        public HashAlgorithmName Hash { get; init; } = HashAlgorithmName.SHA256;
        public List<X509Extension> Extra { get; init; } = [];
        public bool Rsa { get; init; }
        /// <summary>Reuse this key (re-keyed or cross-signed certificates share a subject key).</summary>
        public AsymmetricAlgorithm? Key { get; init; }
        public bool NoSubjectKeyId { get; init; }
        public bool NoAuthorityKeyId { get; init; }
        public bool AuthorityKeyIdCritical { get; init; }
        public bool BasicConstraintsCritical { get; init; } = true;
        public bool SanCritical { get; init; }
        public bool EkuCritical { get; init; }
    }

    public static X509Certificate2 Root(string name, int? pathLength = null, bool rsa = false, List<X509Extension>? extra = null) =>
        Make(new Spec { Subject = $"CN={name}", IsCa = true, PathLength = pathLength, KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Rsa = rsa, Extra = extra ?? [] }, issuer: null);

    public static X509Certificate2 Intermediate(string name, X509Certificate2 issuer, int? pathLength = null, HashAlgorithmName? hash = null,
        string[]? ekus = null, List<X509Extension>? extra = null, DateTimeOffset? notAfter = null, AsymmetricAlgorithm? key = null) =>
        Make(new Spec
        {
            Subject = $"CN={name}", IsCa = true, PathLength = pathLength, KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
            Hash = hash ?? HashAlgorithmName.SHA256, Ekus = ekus, Extra = extra ?? [], NotAfter = notAfter ?? Now.AddYears(1), Key = key,
        }, issuer);

    public static X509Certificate2 Leaf(X509Certificate2 issuer, string[]? dns = null, string[]? ips = null, string[]? ekus = null,
        List<X509Extension>? extra = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? subject = null) =>
        Make(new Spec
        {
            // The CN copies the first SAN, as BR §7.1.4.3 requires of the WebPki profile.
            Subject = subject ?? $"CN={(dns is { Length: > 0 } ? dns[0] : dns is null ? "example.test" : ips is { Length: > 0 } ? System.Net.IPAddress.Parse(ips[0]).ToString() : "leaf")}",
            KeyUsage = X509KeyUsageFlags.DigitalSignature, Ekus = ekus ?? [Oid.ServerAuth],
            Dns = dns ?? ["example.test"], Ips = ips ?? [], Extra = extra ?? [],
            NotBefore = notBefore ?? Now.AddDays(-10), NotAfter = notAfter ?? Now.AddYears(1),
        }, issuer);

    public static X509Certificate2 Make(Spec spec, X509Certificate2? issuer)
    {
        AsymmetricAlgorithm key = spec.Key ?? (spec.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var request = key is RSA rsa
            ? new CertificateRequest(spec.Subject, rsa, spec.Hash, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(spec.Subject, (ECDsa)key, spec.Hash);
        if (spec.IsCa || spec.PathLength is not null)
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(spec.IsCa, spec.PathLength is not null, spec.PathLength ?? 0, spec.BasicConstraintsCritical));
        if (spec.KeyUsage is { } ku) request.CertificateExtensions.Add(new X509KeyUsageExtension(ku, true));
        if (spec.Ekus is { } ekus)
        {
            var collection = new OidCollection();
            foreach (var e in ekus) collection.Add(new System.Security.Cryptography.Oid(e));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(collection, spec.EkuCritical));
        }
        if (spec.Dns.Length > 0 || spec.Ips.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var d in spec.Dns) san.AddDnsName(d);
            foreach (var ip in spec.Ips) san.AddIpAddress(IPAddress.Parse(ip));
            request.CertificateExtensions.Add(san.Build(spec.SanCritical));
        }
        if (!spec.NoSubjectKeyId) request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        foreach (var e in spec.Extra) request.CertificateExtensions.Add(e);
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        X509Certificate2 cert;
        if (issuer is null)
        {
            cert = key is RSA r ? request.CreateSelfSigned(spec.NotBefore, spec.NotAfter) : request.CreateSelfSigned(spec.NotBefore, spec.NotAfter);
            return cert;
        }
        if (!spec.NoAuthorityKeyId)
        {
            var aki = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false);
            request.CertificateExtensions.Add(spec.AuthorityKeyIdCritical ? new X509Extension(aki.Oid!, aki.RawData, true) : aki);
        }
        var generator = issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : spec.Hash == HashAlgorithmName.SHA1
                ? new Sha1RsaGenerator(issuer.GetRSAPrivateKey()!)
                : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(issuer.SubjectName, generator, spec.NotBefore, spec.NotAfter, serial);
        return key is RSA rk ? issued.CopyWithPrivateKey(rk) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>
    /// Re-signs <paramref name="cert"/> with <paramref name="issuer"/>'s ECDSA key after <paramref name="edit"/> changes its
    /// TBSCertificate fields (encoded elements: 0 version, 1 serial, 2 signature, 3 issuer, 4 validity, 5 subject, 6 SPKI,
    /// 7 extensions) — for encodings .NET's CertificateRequest will not produce (negative serials, odd times).
    /// </summary>
    public static X509Certificate2 Rewrite(X509Certificate2 cert, X509Certificate2 issuer, Action<List<byte[]>> edit)
    {
        var outer = new AsnReader(cert.RawData, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadSequence();
        var fields = new List<byte[]>();
        while (tbs.HasData) fields.Add(tbs.ReadEncodedValue().ToArray());
        edit(fields);
        var tw = new AsnWriter(AsnEncodingRules.DER);
        using (tw.PushSequence())
            foreach (var f in fields) tw.WriteEncodedValue(f);
        var tbsBytes = tw.Encode();
        // ECDSA issuers sign with SHA-256; RSA issuers with SHA-256 and PKCS#1 v1.5, or PSS when the algorithm says so.
        var signature = issuer.GetECDsaPrivateKey() is { } ec
            ? ec.SignData(tbsBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : issuer.GetRSAPrivateKey()!.SignData(tbsBytes, HashAlgorithmName.SHA256,
                new AsnReader(fields[2], AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() == "1.2.840.113549.1.1.10" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteEncodedValue(tbsBytes);
            w.WriteEncodedValue(fields[2]);
            w.WriteBitString(signature);
        }
        return X509CertificateLoader.LoadCertificate(w.Encode());
    }

    /// <summary>A SubjectPublicKeyInfo with this algorithm, parameters (DER, or null for none) and key bits — for key rules only (never used to verify).</summary>
    public static byte[] Spki(string algorithm, byte[]? parameters, byte[] key)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(algorithm);
                if (parameters is not null) w.WriteEncodedValue(parameters);
            }
            w.WriteBitString(key);
        }
        return w.Encode();
    }

    /// <summary>An rsaEncryption SubjectPublicKeyInfo whose modulus has exactly <paramref name="bits"/> bits.</summary>
    public static byte[] RsaSpki(int bits)
    {
        var modulus = new byte[(bits + 7) / 8];
        RandomNumberGenerator.Fill(modulus);
        var top = bits % 8 == 0 ? 8 : bits % 8;
        modulus[0] = (byte)((modulus[0] & ((1 << top) - 1)) | (1 << (top - 1)));
        modulus[^1] |= 1;
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteIntegerUnsigned(modulus);
            w.WriteInteger(65537);
        }
        return Spki("1.2.840.113549.1.1.1", [0x05, 0x00], w.Encode());
    }

    /// <summary>A DER INTEGER with exactly these content octets (no normalisation).</summary>
    public static byte[] RawInteger(params byte[] content) => [0x02, (byte)content.Length, .. content];

    /// <summary>RFC 5280 §4.2.1.10 NameConstraints with dNSName, iPAddress (address/mask) and directoryName subtrees.</summary>
    public static X509Extension NameConstraints(string[]? permittedDns = null, string[]? excludedDns = null, string[]? permittedIps = null, string? permittedDirectory = null)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            if (permittedDns is not null || permittedIps is not null || permittedDirectory is not null)
            {
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    foreach (var d in permittedDns ?? []) Subtree(w, d);
                    foreach (var ip in permittedIps ?? []) IpSubtree(w, ip);
                    if (permittedDirectory is not null) DirectorySubtree(w, permittedDirectory);
                }
            }
            if (excludedDns is not null)
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    foreach (var d in excludedDns) Subtree(w, d);
        }
        return new X509Extension("2.5.29.30", w.Encode(), true);
    }

    private static void Subtree(AsnWriter w, string dns)
    {
        using (w.PushSequence()) w.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
    }

    private static void IpSubtree(AsnWriter w, string cidr)
    {
        var parts = cidr.Split('/');
        var address = IPAddress.Parse(parts[0]).GetAddressBytes();
        var bits = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var mask = new byte[address.Length];
        for (var i = 0; i < bits; i++) mask[i / 8] |= (byte)(0x80 >> (i % 8));
        using (w.PushSequence()) w.WriteOctetString([.. address, .. mask], new Asn1Tag(TagClass.ContextSpecific, 7));
    }

    private static void DirectorySubtree(AsnWriter w, string name)
    {
        using (w.PushSequence())
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            w.WriteEncodedValue(new X500DistinguishedName(name).RawData);
    }

    /// <summary>.NET no longer signs certificates with SHA-1; tests still need one to prove it is refused.</summary>
    private sealed class Sha1RsaGenerator(RSA key) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
            [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00];

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

        protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
    }

    public static class Oid
    {
        public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
        public const string AnyEku = "2.5.29.37.0";
        public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    }
}
