using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>Which TLS 1.2 suite family a certificate key or signature scheme belongs to (RFC 8422 §5.1, RFC 5246 §7.4.2).</summary>
internal static class SuiteAuthentications
{
    public static SuiteAuthentication Of(X509Certificate2 certificate) => OfKey(certificate.PublicKey.Oid.Value);

    /// <summary>By SubjectPublicKeyInfo algorithm OID.</summary>
    public static SuiteAuthentication OfKey(string? keyAlgorithm) => keyAlgorithm switch
    {
        KeyOids.EcPublicKey or KeyOids.Ed25519 => SuiteAuthentication.Ecdsa,
        KeyOids.RsaEncryption or KeyOids.RsaSsaPss => SuiteAuthentication.Rsa,
        _ => SuiteAuthentication.Any,
    };

    public static SuiteAuthentication Of(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.EcdsaSecp384r1Sha384 or SignatureScheme.EcdsaSecp521r1Sha512 or SignatureScheme.Ed25519 => SuiteAuthentication.Ecdsa,
        SignatureScheme.RsaPkcs1Sha256 or SignatureScheme.RsaPkcs1Sha384 or SignatureScheme.RsaPkcs1Sha512 => SuiteAuthentication.Rsa,
        _ => SignatureSchemes.IsPss(scheme) ? SuiteAuthentication.Rsa : SuiteAuthentication.Any,
    };
}
