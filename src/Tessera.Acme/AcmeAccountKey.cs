using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Tessera.Acme;

/// <summary>
/// The key an ACME account signs its requests with (RFC 8555 §6.2): ECDSA P-256 (ES256, the default) or P-384
/// (ES384), RSA (RS256), or Ed25519 (EdDSA, RFC 8037; BouncyCastle's primitive, as everywhere in Tessera). It knows its JWK (RFC 7517) and the JWK's thumbprint (RFC 7638), which key authorizations
/// carry (§8.1).
/// </summary>
public sealed class AcmeAccountKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;
    private const string Ed25519Oid = "1.3.101.112";

    private AcmeAccountKey(ECDsa ec) => _ec = ec;
    private AcmeAccountKey(RSA rsa) => _rsa = rsa;
    private AcmeAccountKey(Ed25519PrivateKeyParameters ed25519) => _ed25519 = ed25519;

    /// <summary>A new Ed25519 key (EdDSA), for CAs that accept it (Pebble does; Let's Encrypt does not).</summary>
    public static AcmeAccountKey CreateEd25519() => new(new Ed25519PrivateKeyParameters(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The Ed25519 key of a 32-byte seed (RFC 8032; RFC 8037's examples in tests).</summary>
    internal static AcmeAccountKey FromEd25519Seed(ReadOnlySpan<byte> seed) => new(new Ed25519PrivateKeyParameters(seed));

    /// <summary>A new ECDSA P-256 key (ES256), what certbot and lego make by default.</summary>
    public static AcmeAccountKey CreateEs256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A new ECDSA P-384 key (ES384).</summary>
    public static AcmeAccountKey CreateEs384() => new(ECDsa.Create(ECCurve.NamedCurves.nistP384));

    /// <summary>A new RSA key of <paramref name="bits"/> (RS256).</summary>
    public static AcmeAccountKey CreateRs256(int bits = 2048) => new(RSA.Create(bits));

    /// <summary>Loads a PKCS#8 PEM key (ECDSA P-256 or P-384, or RSA).</summary>
    /// <exception cref="AcmeException">Another algorithm or curve, or not a PEM key.</exception>
    public static AcmeAccountKey FromPem(string pem)
    {
        if (Ed25519Seed(pem) is { } seed) return FromEd25519Seed(seed);
        try
        {
            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                if (ec.KeySize is 256 or 384) return new AcmeAccountKey(ec);
                ec.Dispose();
                throw new AcmeException(AcmeFailure.Configuration, $"an ACME account key must be ECDSA P-256 or P-384, or RSA, not ECDSA with a {ec.KeySize}-bit curve");
            }
            catch (CryptographicException)
            {
                ec.Dispose();
            }
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
                return new AcmeAccountKey(rsa);
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new AcmeException(AcmeFailure.Configuration, "the ACME account key is not an ECDSA or RSA private key in PEM", e);
        }
    }

    /// <summary>A key from RSA parameters (public only is enough for the JWK and thumbprint; tests use RFC 7638's example).</summary>
    internal static AcmeAccountKey FromRsaParameters(RSAParameters parameters)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return new AcmeAccountKey(rsa);
    }

    /// <summary>A key from EC parameters (RFC 7515's ES256 example key in tests).</summary>
    internal static AcmeAccountKey FromEcParameters(ECParameters parameters) => new(ECDsa.Create(parameters));

    /// <summary>The JWS algorithm: "ES256", "ES384", "RS256" or "EdDSA".</summary>
    public string Algorithm => _ec is { KeySize: 384 } ? "ES384" : _ec is not null ? "ES256" : _rsa is not null ? "RS256" : "EdDSA";

    /// <summary>The private key as PKCS#8 PEM, followed by a newline (for the caller's store, which writes it owner-only).</summary>
    public string ExportPem()
    {
        if (_ec is not null) return _ec.ExportPkcs8PrivateKeyPem() + "\n";
        if (_rsa is not null) return _rsa.ExportPkcs8PrivateKeyPem() + "\n";
        // RFC 8410 §7 PKCS#8, written by the PKI library's key type (the one place that encodes Ed25519 keys).
        using var pki = Tessera.Pki.CaKey.FromEd25519Seed(_ed25519!.GetEncoded());
        return pki.ExportPem();
    }

    /// <summary>The seed of an Ed25519 PKCS#8 PEM key, or null for any other key.</summary>
    private static byte[]? Ed25519Seed(string pem)
    {
        try
        {
            var found = PemEncoding.Find(pem);
            var info = new AsnReader(Convert.FromBase64String(pem[found.Base64Data]), AsnEncodingRules.DER).ReadSequence();
            info.ReadInteger();
            if (info.ReadSequence().ReadObjectIdentifier() != Ed25519Oid) return null;
            var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
            return seed.Length == 32 ? seed : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or AsnContentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the public JWK with its required members in lexicographic order and nothing else, which is exactly the
    /// input RFC 7638 §3 hashes for the thumbprint (so the same writer serves the JWS header and the thumbprint).
    /// </summary>
    internal void WriteJwk(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            w.WriteString("crv", _ec.KeySize == 384 ? "P-384" : "P-256");
            w.WriteString("kty", "EC");
            w.WriteString("x", Base64Url.Encode(p.Q.X!));
            w.WriteString("y", Base64Url.Encode(p.Q.Y!));
        }
        else if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            w.WriteString("e", Base64Url.Encode(p.Exponent!));
            w.WriteString("kty", "RSA");
            w.WriteString("n", Base64Url.Encode(p.Modulus!));
        }
        else
        {
            // RFC 8037 §2: an Octet Key Pair; the thumbprint members are crv, kty, x (RFC 8037 §A.3).
            w.WriteString("crv", "Ed25519");
            w.WriteString("kty", "OKP");
            w.WriteString("x", Base64Url.Encode(_ed25519!.GeneratePublicKey().GetEncoded()));
        }
        w.WriteEndObject();
    }

    /// <summary>The RFC 7638 thumbprint: SHA-256 of the canonical JWK, base64url.</summary>
    public string Thumbprint()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) WriteJwk(w);
        return Base64Url.Encode(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>A JWS signature over <paramref name="signingInput"/>: for ECDSA the fixed-width r‖s of RFC 7518 §3.4, for RSA PKCS#1 v1.5 with SHA-256, for Ed25519 the 64-byte RFC 8032 signature.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> signingInput)
    {
        if (_ec is not null)
            return _ec.SignData(signingInput, _ec.KeySize == 384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (_rsa is not null) return _rsa.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        var input = signingInput.ToArray();
        signer.BlockUpdate(input, 0, input.Length);
        return signer.GenerateSignature();
    }

    /// <summary>Disposes the key.</summary>
    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
