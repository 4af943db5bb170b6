using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Certificates;
using Tessera.Crypto;

namespace Tessera.Tests.Support;

public enum KeyKind { EcdsaP256, EcdsaP384, Rsa2048, RsaPss2048, Ed25519 }

/// <summary>Builds root → intermediate → leaf chains at test time with .NET's CertificateRequest.</summary>
public sealed class TestPki
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public TestPki(string name = "Tessera Test")
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest($"CN={name} Root", rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootReq.PublicKey, false));
        Root = rootReq.CreateSelfSigned(Now.AddDays(-30), Now.AddYears(5));

        using var intKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intReq = new CertificateRequest($"CN={name} Intermediate", intKey, HashAlgorithmName.SHA256);
        intReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intReq.PublicKey, false));
        intReq.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var intPublic = intReq.Create(Root, Now.AddDays(-30), Now.AddYears(4), Serial());
        Intermediate = intPublic.CopyWithPrivateKey(intKey);
        _intermediateKey = Intermediate.GetECDsaPrivateKey()!;
    }

    private readonly ECDsa _intermediateKey;
    private readonly Dictionary<KeyKind, TlsCredential> _shared = [];

    /// <summary>One "example.test" server credential per key kind, made once (RSA key generation is slow).</summary>
    public TlsCredential Shared(KeyKind kind)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(kind, out var c)) _shared[kind] = c = Issue(kind, ["example.test"]);
            return c;
        }
    }

    /// <summary>
    /// The verifier profile a chain with this leaf key passes: Ed25519 and id-RSASSA-PSS keys are outside the Baseline
    /// Requirements (BR §6.1.5, §7.1.3.1.1), so a client checking such a server judges it as a private PKI.
    /// </summary>
    public static VerificationProfile ProfileFor(KeyKind kind) =>
        kind is KeyKind.Ed25519 or KeyKind.RsaPss2048 ? VerificationProfile.Rfc5280 : VerificationProfile.WebPki;

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public TrustStore TrustStore => TrustStore.FromCertificates(Root);

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);

    /// <summary>A leaf credential (chain leaf + intermediate) for the given DNS names.</summary>
    public TlsCredential Issue(KeyKind kind, string[] dnsNames, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        bool clientAuth = false, bool includeIntermediate = true, string[]? ipAddresses = null)
    {
        var (publicKey, signer) = NewKey(kind);
        var req = new CertificateRequest(new X500DistinguishedName($"CN={(dnsNames.Length > 0 ? dnsNames[0] : "client")}"), publicKey, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in dnsNames) san.AddDnsName(d);
        foreach (var ip in ipAddresses ?? []) san.AddIpAddress(System.Net.IPAddress.Parse(ip));
        if (dnsNames.Length + (ipAddresses?.Length ?? 0) > 0) req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        var leaf = req.Create(Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey),
            notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(90), Serial());
        X509Certificate2[] chain = includeIntermediate ? [leaf, X509CertificateLoader.LoadCertificate(Intermediate.RawData)] : [leaf];
        return new TlsCredential(chain, signer);
    }

    public static (PublicKey, TlsSigningKey) NewKey(KeyKind kind)
    {
        switch (kind)
        {
            case KeyKind.EcdsaP256:
            case KeyKind.EcdsaP384:
            {
                var ec = ECDsa.Create(kind == KeyKind.EcdsaP256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
                return (new PublicKey(ec), TlsSigningKey.FromEcdsa(ec));
            }
            case KeyKind.Rsa2048:
            {
                var rsa = RSA.Create(2048);
                return (new PublicKey(rsa), TlsSigningKey.FromRsa(rsa));
            }
            case KeyKind.RsaPss2048:
            {
                var rsa = RSA.Create(2048);
                // id-RSASSA-PSS with absent parameters (RFC 4055 §3.1): any PSS hash may be used.
                var key = Spki("1.2.840.113549.1.1.10", rsa.ExportRSAPublicKey());
                return (key, TlsSigningKey.FromRsa(rsa, pssOnlyKey: true));
            }
            case KeyKind.Ed25519:
            {
                var seed = RandomNumberGenerator.GetBytes(32);
                var pub = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();
                var key = Spki("1.3.101.112", pub);
                return (key, TlsSigningKey.FromEd25519Seed(seed));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>SubjectPublicKeyInfo with absent algorithm parameters (RFC 8410 §3, RFC 4055 §3.1).</summary>
    private static PublicKey Spki(string oid, byte[] key)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence()) w.WriteObjectIdentifier(oid);
            w.WriteBitString(key);
        }
        return PublicKey.CreateFromSubjectPublicKeyInfo(w.Encode(), out _);
    }
}
