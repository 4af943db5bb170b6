using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
namespace Tessera.Pki;

/// <summary>
/// A key the CA makes or signs with: ECDSA and RSA through .NET, Ed25519 through BouncyCastle's primitive
/// (RFC 8410), since .NET's certificate builder has no Ed25519 of its own.
/// </summary>
public sealed class CaKey : IDisposable
{
    private const string Ed25519Oid = "1.3.101.112";
    private readonly AsymmetricAlgorithm? _dotnet;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private CaKey(AsymmetricAlgorithm key) => _dotnet = key;
    private CaKey(Ed25519PrivateKeyParameters key) => _ed25519 = key;

    /// <summary>A new key of <paramref name="type"/>.</summary>
    public static CaKey Create(KeyType type) => type switch
    {
        KeyType.EcdsaP256 => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        KeyType.EcdsaP384 => new(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        KeyType.Rsa2048 => new(RSA.Create(2048)),
        KeyType.Rsa3072 => new(RSA.Create(3072)),
        _ => new(new Ed25519PrivateKeyParameters(RandomNumberGenerator.GetBytes(32))),
    };

    /// <summary>
    /// The Ed25519 key of a 32-byte <paramref name="seed"/> (RFC 8032 §5.1.5): for reproducible certificates, whose
    /// signatures are then the same bytes every time (Ed25519 signs deterministically).
    /// </summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static CaKey FromEd25519Seed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519PrivateKeyParameters.KeySize) throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        return new CaKey(new Ed25519PrivateKeyParameters(seed));
    }

    /// <summary>Loads a PKCS#8 PEM key (ECDSA, RSA or Ed25519).</summary>
    /// <exception cref="PkiException">A key of another algorithm.</exception>
    public static CaKey Load(string pem)
    {
        var found = PemEncoding.Find(pem);
        var der = Convert.FromBase64String(pem[found.Base64Data]);
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        var algorithm = info.ReadSequence().ReadObjectIdentifier();
        switch (algorithm)
        {
            case Ed25519Oid:
                var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                return new CaKey(new Ed25519PrivateKeyParameters(seed));
            case "1.2.840.10045.2.1":
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(der, out _);
                return new CaKey(ec);
            case "1.2.840.113549.1.1.1":
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return new CaKey(rsa);
            default:
                throw new PkiException(PkiFailure.Files, $"unsupported CA key algorithm {algorithm}");
        }
    }

    /// <summary>The public half, as a certificate or request carries it.</summary>
    public PublicKey PublicKey => _dotnet switch
    {
        ECDsa ec => new PublicKey(ec),
        RSA rsa => new PublicKey(rsa),
        _ => PublicKey.CreateFromSubjectPublicKeyInfo(Ed25519SubjectPublicKeyInfo(), out _),
    };

    /// <summary>Signs certificates and CRLs issued with this key.</summary>
    public X509SignatureGenerator Signer => _dotnet switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => new Ed25519Generator(_ed25519!, this),
    };

    /// <summary>The hash its signatures use: SHA-384 for P-384, SHA-256 otherwise (Ed25519 ignores it).</summary>
    public HashAlgorithmName Hash => _dotnet is ECDsa { KeySize: > 256 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>The .NET key (ECDSA or RSA), or null for Ed25519, which .NET cannot hold.</summary>
    internal AsymmetricAlgorithm? DotnetKey => _dotnet;

    /// <summary>Whether it is an RSA key.</summary>
    public bool IsRsa => _dotnet is RSA;

    /// <summary>A certificate request for this key with <paramref name="subject"/> (an X.500 name such as "CN=example.com").</summary>
    public CertificateRequest Request(string subject) => new(new X500DistinguishedName(subject), PublicKey, Hash);

    /// <summary>
    /// A PKCS#10 certificate signing request (DER) for <paramref name="names"/> (DNS names and IP addresses) signed by
    /// this key: the names in a subjectAltName extension request, and the first as the subject CN, as ACME CAs and
    /// <c>openssl req</c> expect.
    /// </summary>
    /// <exception cref="PkiException">No names.</exception>
    public byte[] CreateSigningRequest(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new PkiException(PkiFailure.InvalidRequest, "a certificate request names at least one DNS name or IP address");
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in names)
        {
            if (System.Net.IPAddress.TryParse(n, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(n);
        }
        var cn = System.Net.IPAddress.TryParse(names[0], out var first) ? first.ToString() : names[0];
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(cn);
        var request = new CertificateRequest(subject.Build(), PublicKey, Hash);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest(Signer);
    }

    /// <summary>The private key as PKCS#8 PEM ("PRIVATE KEY"), followed by a newline.</summary>
    public string ExportPem()
    {
        if (_dotnet is not null) return _dotnet.ExportPkcs8PrivateKeyPem() + "\n";
        // RFC 8410 §7: OneAsymmetricKey with the 32-byte seed wrapped in an OCTET STRING.
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence()) w.WriteObjectIdentifier(Ed25519Oid);
            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(_ed25519!.GetEncoded());
            w.WriteOctetString(inner.Encode());
        }
        return PemEncoding.WriteString("PRIVATE KEY", w.Encode()) + "\n";
    }

    private byte[] Ed25519SubjectPublicKeyInfo()
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence()) w.WriteObjectIdentifier(Ed25519Oid);
            w.WriteBitString(_ed25519!.GeneratePublicKey().GetEncoded());
        }
        return w.Encode();
    }

    /// <summary>Disposes the .NET key (an Ed25519 key holds only managed bytes).</summary>
    public void Dispose() => _dotnet?.Dispose();

    private sealed class Ed25519Generator(Ed25519PrivateKeyParameters key, CaKey owner) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70];

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, key);
            signer.BlockUpdate(data, 0, data.Length);
            return signer.GenerateSignature();
        }

        protected override PublicKey BuildPublicKey() => owner.PublicKey;
    }
}
