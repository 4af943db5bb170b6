using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// Verifies a signature by a certificate's public key under a TLS signature scheme, checking that the
/// scheme fits the key (RFC 8446 §4.2.3: ECDSA curve bound to the hash, rsae vs pss key types).
/// </summary>
public static class SignatureVerifier
{
    /// <summary>Returns false for a bad signature; throws <c>illegal_parameter</c> when the scheme does not fit the key.</summary>
    public static bool Verify(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Verify(scheme, certificate, data, signature, ProtocolVersion.Tls13);

    /// <summary>
    /// As above under <paramref name="version"/>'s rules: in TLS 1.2 an ECDSA scheme names only the hash
    /// (RFC 5246 §7.4.1.4.1), so the key's curve is not bound to it.
    /// </summary>
    public static bool Verify(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, ProtocolVersion version) =>
        Verify(scheme, certificate.PublicKey.ExportSubjectPublicKeyInfo(), certificate.Subject, data, signature, version);

    /// <summary>
    /// The same check against a DER SubjectPublicKeyInfo (<paramref name="owner"/> names the certificate in messages).
    /// The imported key is reused across calls (<see cref="VerificationKeyCache"/>).
    /// </summary>
    public static bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> subjectPublicKeyInfo, string owner, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, ProtocolVersion version) =>
        Verify(scheme, subjectPublicKeyInfo, owner, data, signature, version, CryptoProvider.Default);

    private static bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> subjectPublicKeyInfo, string owner, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature,
        ProtocolVersion version, CryptoProvider provider)
    {
        var key = VerificationKeyCache.Rent(subjectPublicKeyInfo);
        try
        {
            return Verify(scheme, key, owner, data, signature, version, provider);
        }
        finally
        {
            VerificationKeyCache.Return(key);
        }
    }

    /// <summary>A handshake's check, with the connection's provider.</summary>
    internal static bool Verify(SignatureScheme scheme, Certificates.PeerCertificateChain.PeerKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature,
        ProtocolVersion version, CryptoProvider provider) =>
        Verify(scheme, key.SubjectPublicKeyInfo.Span, key.Owner, data, signature, version, provider);

    private static bool Verify(SignatureScheme scheme, VerificationKey key, string owner, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature,
        ProtocolVersion version, CryptoProvider provider)
    {
        switch (scheme)
        {
            case SignatureScheme.EcdsaSecp256r1Sha256:
            case SignatureScheme.EcdsaSecp384r1Sha384:
            {
                RequireKey(key.Algorithm == KeyOids.EcPublicKey, scheme, key, owner);
                // RFC 8446 §4.2.3: in TLS 1.3 the scheme names the curve as well as the hash.
                var wantCurve = scheme == SignatureScheme.EcdsaSecp256r1Sha256 ? CurveOids.P256 : CurveOids.P384;
                if (version == ProtocolVersion.Tls13) RequireKey(key.Curve == wantCurve, scheme, key, owner);
                return provider.VerifyEcdsa(key, data, signature, SignatureSchemes.HashOf(scheme));
            }
            case SignatureScheme.RsaPssRsaeSha256:
            case SignatureScheme.RsaPssRsaeSha384:
            case SignatureScheme.RsaPssRsaeSha512:
            case SignatureScheme.RsaPkcs1Sha256:
            case SignatureScheme.RsaPkcs1Sha384:
            case SignatureScheme.RsaPkcs1Sha512:
            {
                RequireKey(key.Algorithm == KeyOids.RsaEncryption, scheme, key, owner);
                return provider.VerifyRsa(key, data, signature, scheme);
            }
            case SignatureScheme.RsaPssPssSha256:
            case SignatureScheme.RsaPssPssSha384:
            case SignatureScheme.RsaPssPssSha512:
                RequireKey(key.Algorithm == KeyOids.RsaSsaPss, scheme, key, owner);
                return key.VerifyRsa(data, signature, SignatureSchemes.HashOf(scheme), RSASignaturePadding.Pss);
            case SignatureScheme.Ed25519:
                RequireKey(key.Algorithm == KeyOids.Ed25519, scheme, key, owner);
                return provider.VerifyEd25519(key, data, signature);
            default:
                throw TlsException.Illegal($"signature scheme {TlsNames.Of(scheme)} is not supported");
        }
    }

    private static void RequireKey(bool ok, SignatureScheme scheme, VerificationKey key, string owner)
    {
        if (!ok)
            throw TlsException.Illegal($"signature scheme {TlsNames.Of(scheme)} does not match the {key.Description} key of '{owner}'");
    }
}
