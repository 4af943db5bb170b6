using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Tessera.Acme.Server;

/// <summary>
/// An account's public key as the server keeps it: the JWK's required members in the canonical form of RFC 7638 §3
/// (members sorted, no whitespace) — which is both what is stored and what is hashed into the thumbprint that key
/// authorizations end with — and a verifier for the JWS algorithm that key allows: ES256 for P-256, ES384 for P-384,
/// RS256 for RSA of 2048 to 8192 bits, EdDSA for Ed25519 (RFC 8037).
/// </summary>
internal sealed class AccountKey
{
    private AccountKey(string canonicalJwk, string algorithm)
    {
        CanonicalJwk = canonicalJwk;
        Algorithm = algorithm;
        Thumbprint = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJwk)));
    }

    /// <summary>The JWK's required members, canonical (RFC 7638 §3.3).</summary>
    public string CanonicalJwk { get; }

    /// <summary>The one JWS algorithm this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>base64url(SHA-256(canonical JWK)) (RFC 7638).</summary>
    public string Thumbprint { get; }

    /// <summary>The JWS algorithms the server accepts, for badSignatureAlgorithm problems (§6.2).</summary>
    public static readonly string[] Algorithms = ["ES256", "ES384", "RS256", "EdDSA"];

    /// <summary>Reads a JWK (a JSON object); only the members RFC 7638 names for its kty are kept.</summary>
    /// <exception cref="AcmeProblemException">badPublicKey: another key type or curve, a small RSA key, members missing.</exception>
    public static AccountKey FromJwk(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object) throw BadKey("the jwk is not a JSON object");
        var kty = Member(jwk, "kty");
        switch (kty)
        {
            case "EC":
                var crv = Member(jwk, "crv");
                var x = Member(jwk, "x");
                var y = Member(jwk, "y");
                var size = crv switch { "P-256" => 32, "P-384" => 48, _ => throw BadKey($"the curve {Clip(crv)} is not accepted; use P-256 or P-384") };
                if (Decode(x).Length != size || Decode(y).Length != size) throw BadKey("the EC point's coordinates have the wrong length");
                var key = new AccountKey($"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}", size == 32 ? "ES256" : "ES384");
                using (key.CreateEcdsa()) { }   // the point must be on the curve
                return key;
            case "RSA":
                var n = Member(jwk, "n");
                var e = Member(jwk, "e");
                var modulus = Decode(n);
                var bits = (modulus.Length - (modulus.Length > 0 && modulus[0] == 0 ? 1 : 0)) * 8;
                if (bits is < 2048 or > 8192) throw BadKey($"an RSA account key must have 2048 to 8192 bits, not {bits}");
                return new AccountKey($"{{\"e\":\"{e}\",\"kty\":\"RSA\",\"n\":\"{n}\"}}", "RS256");
            case "OKP":
                if (Member(jwk, "crv") != "Ed25519") throw BadKey("the only OKP curve accepted is Ed25519");
                var ox = Member(jwk, "x");
                if (Decode(ox).Length != 32) throw BadKey("an Ed25519 public key is 32 bytes");
                return new AccountKey($"{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{ox}\"}}", "EdDSA");
            default:
                throw BadKey($"the key type {Clip(kty)} is not accepted; use EC (P-256, P-384), RSA or OKP (Ed25519)");
        }
    }

    /// <summary>Reads a key kept in canonical form.</summary>
    public static AccountKey FromCanonical(string canonicalJwk)
    {
        using var doc = JsonDocument.Parse(canonicalJwk);
        return FromJwk(doc.RootElement);
    }

    /// <summary>Whether <paramref name="signature"/> is this key's JWS signature over <paramref name="signingInput"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        using var doc = JsonDocument.Parse(CanonicalJwk);
        var jwk = doc.RootElement;
        switch (Algorithm)
        {
            case "ES256":
            case "ES384":
                using (var ec = CreateEcdsa())
                    return ec.VerifyData(signingInput, signature, Algorithm == "ES256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
            case "RS256":
                using (var rsa = RSA.Create(new RSAParameters { Modulus = Decode(jwk.GetProperty("n").GetString()!), Exponent = Decode(jwk.GetProperty("e").GetString()!) }))
                    return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            default:
                var verifier = new Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(Decode(jwk.GetProperty("x").GetString()!)));
                var input = signingInput.ToArray();
                verifier.BlockUpdate(input, 0, input.Length);
                return verifier.VerifySignature(signature.ToArray());
        }
    }

    /// <summary>Whether a certificate's SubjectPublicKeyInfo holds this same key (revocation signed by the certificate's key, §7.6).</summary>
    public bool Matches(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var doc = JsonDocument.Parse(CanonicalJwk);
        var jwk = doc.RootElement;
        switch (Algorithm)
        {
            case "ES256":
            case "ES384":
                using (var certKey = certificate.GetECDsaPublicKey())
                {
                    if (certKey is null) return false;
                    var p = certKey.ExportParameters(false);
                    return p.Q.X!.AsSpan().SequenceEqual(Decode(jwk.GetProperty("x").GetString()!)) && p.Q.Y!.AsSpan().SequenceEqual(Decode(jwk.GetProperty("y").GetString()!));
                }
            case "RS256":
                using (var certKey = certificate.GetRSAPublicKey())
                {
                    if (certKey is null) return false;
                    var p = certKey.ExportParameters(false);
                    return p.Modulus!.AsSpan().SequenceEqual(Decode(jwk.GetProperty("n").GetString()!).AsSpan().TrimStart((byte)0))
                        && p.Exponent!.AsSpan().SequenceEqual(Decode(jwk.GetProperty("e").GetString()!));
                }
            default:
                return false;
        }
    }

    private ECDsa CreateEcdsa()
    {
        using var doc = JsonDocument.Parse(CanonicalJwk);
        var jwk = doc.RootElement;
        try
        {
            return ECDsa.Create(new ECParameters
            {
                Curve = Algorithm == "ES256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
                Q = new ECPoint { X = Decode(jwk.GetProperty("x").GetString()!), Y = Decode(jwk.GetProperty("y").GetString()!) },
            });
        }
        catch (CryptographicException)
        {
            throw BadKey("the EC public key is not a point on its curve");
        }
    }

    private static string Member(JsonElement jwk, string name)
    {
        if (!jwk.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 2048 } text)
            throw BadKey($"the jwk has no usable \"{name}\"");
        // Only base64url characters (or the fixed names) may reach the canonical form, which is built by concatenation.
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) throw BadKey($"the jwk's \"{name}\" is not base64url");
        return text;
    }

    private static byte[] Decode(string text)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw BadKey("the jwk holds a value that is not base64url");
        }
    }

    private static string Clip(string text) => Tessera.Diagnostics.PeerText.Clip(text, 40);

    private static AcmeProblemException BadKey(string detail) => new("badPublicKey", 400, detail);
}
