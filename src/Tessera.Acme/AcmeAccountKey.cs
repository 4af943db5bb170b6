using System.Security.Cryptography;
using System.Text.Json;

namespace Tessera.Acme;

/// <summary>
/// The key an ACME account signs its requests with (RFC 8555 §6.2): ECDSA P-256 (ES256, the default) or P-384
/// (ES384), or RSA (RS256). It knows its JWK (RFC 7517) and the JWK's thumbprint (RFC 7638), which key authorizations
/// carry (§8.1).
/// </summary>
public sealed class AcmeAccountKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private AcmeAccountKey(ECDsa ec) => _ec = ec;
    private AcmeAccountKey(RSA rsa) => _rsa = rsa;

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

    /// <summary>The JWS algorithm: "ES256", "ES384" or "RS256".</summary>
    public string Algorithm => _ec is { KeySize: 384 } ? "ES384" : _ec is not null ? "ES256" : "RS256";

    /// <summary>The private key as PKCS#8 PEM, followed by a newline (for the caller's store, which writes it owner-only).</summary>
    public string ExportPem() => (_ec is not null ? _ec.ExportPkcs8PrivateKeyPem() : _rsa!.ExportPkcs8PrivateKeyPem()) + "\n";

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
        else
        {
            var p = _rsa!.ExportParameters(false);
            w.WriteString("e", Base64Url.Encode(p.Exponent!));
            w.WriteString("kty", "RSA");
            w.WriteString("n", Base64Url.Encode(p.Modulus!));
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

    /// <summary>A JWS signature over <paramref name="signingInput"/>: for ECDSA the fixed-width r‖s of RFC 7518 §3.4, for RSA PKCS#1 v1.5 with SHA-256.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> signingInput) => _ec is not null
        ? _ec.SignData(signingInput, _ec.KeySize == 384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Disposes the key.</summary>
    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
