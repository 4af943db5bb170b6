using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>Reads PEM private keys into <see cref="TlsSigningKey"/>s, including the kinds .NET will not import itself (RSA-PSS, Ed25519).</summary>
internal static class PrivateKeyPem
{
    /// <summary>The first unencrypted private key in the PEM text.</summary>
    /// <exception cref="CryptographicException">No key, or one that is malformed or of a kind Tessera cannot use.</exception>
    public static TlsSigningKey Load(string pem)
    {
        foreach (var label in new[] { "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" })
        {
            var begin = $"-----BEGIN {label}-----";
            var at = pem.IndexOf(begin, StringComparison.Ordinal);
            if (at < 0) continue;
            // The END line is looked for after the whole BEGIN line: found by fuzzing, "-----BEGIN X-----END X-----"
            // shares the dashes between the two and made the base64 range negative (ArgumentOutOfRangeException).
            var end = pem.IndexOf($"-----END {label}-----", at + begin.Length, StringComparison.Ordinal);
            if (end < 0) throw new CryptographicException($"PEM block '{label}' has no END line");
            byte[] der;
            try
            {
                der = Convert.FromBase64String(pem[(at + begin.Length)..end]);
            }
            catch (FormatException e)
            {
                throw new CryptographicException($"PEM block '{label}' is not base64: {e.Message}", e);
            }
            try
            {
                return label switch
                {
                    "RSA PRIVATE KEY" => FromRsa(der, pss: false),
                    "EC PRIVATE KEY" => FromSec1(der),
                    _ => FromPkcs8(der),
                };
            }
            catch (Exception e) when (e is AsnContentException or PlatformNotSupportedException or ArgumentException)
            {
                // Found by fuzzing: malformed DER and unknown curves surfaced as these; the loader's one refusal is
                // CryptographicException, which the CLI and the proxy turn into a sentence.
                throw new CryptographicException($"PEM block '{label}' is not a usable private key: {e.Message}", e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
        throw new CryptographicException("no unencrypted private key found in PEM (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static TlsSigningKey FromRsa(byte[] pkcs1, bool pss)
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(pkcs1, out _);
        return new RsaSigningKey(rsa, pss);
    }

    private static TlsSigningKey FromSec1(byte[] der)
    {
        var ec = ECDsa.Create();
        ec.ImportECPrivateKey(der, out _);
        return new EcdsaSigningKey(ec);
    }

    private static TlsSigningKey FromPkcs8(byte[] der)
    {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, ... }
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        outer.ReadInteger();
        var alg = outer.ReadSequence();
        var oid = alg.ReadObjectIdentifier();
        var inner = outer.ReadOctetString();
        try
        {
            switch (oid)
            {
                case KeyOids.RsaEncryption:
                    return FromRsa(inner, pss: false);
                case KeyOids.RsaSsaPss:
                    return FromRsa(inner, pss: true);
                case KeyOids.EcPublicKey:
                {
                    var ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(der, out _);
                    return new EcdsaSigningKey(ec);
                }
                case KeyOids.Ed25519:
                {
                    // RFC 8410 §7: the privateKey OCTET STRING wraps another OCTET STRING holding the 32-byte seed.
                    var seed = new AsnReader(inner, AsnEncodingRules.DER).ReadOctetString();
                    try { return new Ed25519SigningKey(seed); }
                    finally { CryptographicOperations.ZeroMemory(seed); }
                }
                default:
                    throw new CryptographicException($"private key algorithm {oid} is not supported");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner);
        }
    }
}
