using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>Facts about signature schemes: which ones TLS 1.3 may use in CertificateVerify, and their hashes.</summary>
public static class SignatureSchemes
{
    /// <summary>Tessera's default offer, strongest-and-fastest first (RFC 8446 §4.2.3 "MUST support" set included).</summary>
    public static IReadOnlyList<SignatureScheme> DefaultTls13 { get; } =
    [
        SignatureScheme.EcdsaSecp256r1Sha256,
        SignatureScheme.Ed25519,
        SignatureScheme.EcdsaSecp384r1Sha384,
        SignatureScheme.RsaPssRsaeSha256,
        SignatureScheme.RsaPssRsaeSha384,
        SignatureScheme.RsaPssRsaeSha512,
        SignatureScheme.RsaPssPssSha256,
        SignatureScheme.RsaPssPssSha384,
        SignatureScheme.RsaPssPssSha512,
    ];

    /// <summary>
    /// The default signature_algorithms: the TLS 1.3 set, then PKCS#1 v1.5 for TLS 1.2 peers (never used in a
    /// TLS 1.3 CertificateVerify).
    /// </summary>
    public static IReadOnlyList<SignatureScheme> Default { get; } =
    [
        .. DefaultTls13,
        SignatureScheme.RsaPkcs1Sha256,
        SignatureScheme.RsaPkcs1Sha384,
        SignatureScheme.RsaPkcs1Sha512,
    ];

    /// <summary>
    /// What signature_algorithms_cert offers: the CertificateVerify set plus PKCS#1 v1.5, which RFC 8446 §4.2.3
    /// allows only inside certificate signatures.
    /// </summary>
    public static IReadOnlyList<SignatureScheme> DefaultCertificate { get; } =
    [
        .. DefaultTls13,
        SignatureScheme.RsaPkcs1Sha256,
        SignatureScheme.RsaPkcs1Sha384,
        SignatureScheme.RsaPkcs1Sha512,
    ];

    /// <summary>True for the schemes TLS 1.3 permits in CertificateVerify and Tessera implements.</summary>
    public static bool IsUsableInTls13(SignatureScheme s) => s is
        SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.EcdsaSecp384r1Sha384 or
        SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512 or
        SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPssPssSha384 or SignatureScheme.RsaPssPssSha512 or
        SignatureScheme.Ed25519;

    /// <summary>True for the schemes Tessera accepts in TLS 1.2 signatures: the TLS 1.3 set plus PKCS#1 v1.5 with SHA-2 (never SHA-1 or MD5).</summary>
    public static bool IsUsableInTls12(SignatureScheme s) => IsUsableInTls13(s) ||
        s is SignatureScheme.RsaPkcs1Sha256 or SignatureScheme.RsaPkcs1Sha384 or SignatureScheme.RsaPkcs1Sha512;

    internal static bool IsUsable(SignatureScheme s, ProtocolVersion version) =>
        version == ProtocolVersion.Tls13 ? IsUsableInTls13(s) : IsUsableInTls12(s);

    internal static HashAlgorithmName HashOf(SignatureScheme s) => s switch
    {
        SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPkcs1Sha256 => HashAlgorithmName.SHA256,
        SignatureScheme.EcdsaSecp384r1Sha384 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssPssSha384 or SignatureScheme.RsaPkcs1Sha384 => HashAlgorithmName.SHA384,
        SignatureScheme.EcdsaSecp521r1Sha512 or SignatureScheme.RsaPssRsaeSha512 or SignatureScheme.RsaPssPssSha512 or SignatureScheme.RsaPkcs1Sha512 => HashAlgorithmName.SHA512,
        SignatureScheme.RsaPkcs1Sha1 or SignatureScheme.EcdsaSha1 => HashAlgorithmName.SHA1,
        _ => default,
    };

    internal static bool IsPss(SignatureScheme s) => s is
        SignatureScheme.RsaPssRsaeSha256 or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512 or
        SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPssPssSha384 or SignatureScheme.RsaPssPssSha512;

    internal static bool IsPssWithPssKey(SignatureScheme s) => s is
        SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPssPssSha384 or SignatureScheme.RsaPssPssSha512;
}
