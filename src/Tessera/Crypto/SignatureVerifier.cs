using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
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
    public static bool Verify(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, ProtocolVersion version)
    {
        var oid = certificate.PublicKey.Oid.Value;
        switch (scheme)
        {
            case SignatureScheme.EcdsaSecp256r1Sha256:
            case SignatureScheme.EcdsaSecp384r1Sha384:
            {
                RequireKey(oid == KeyOids.EcPublicKey, scheme, certificate);
                using var ecdsa = certificate.GetECDsaPublicKey()!;
                var wantBits = scheme == SignatureScheme.EcdsaSecp256r1Sha256 ? 256 : 384;
                if (version == ProtocolVersion.Tls13) RequireKey(ecdsa.KeySize == wantBits, scheme, certificate);
                return ecdsa.VerifyData(data, signature, SignatureSchemes.HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence);
            }
            case SignatureScheme.RsaPssRsaeSha256:
            case SignatureScheme.RsaPssRsaeSha384:
            case SignatureScheme.RsaPssRsaeSha512:
            case SignatureScheme.RsaPkcs1Sha256:
            case SignatureScheme.RsaPkcs1Sha384:
            case SignatureScheme.RsaPkcs1Sha512:
            {
                RequireKey(oid == KeyOids.RsaEncryption, scheme, certificate);
                using var rsa = certificate.GetRSAPublicKey()!;
                var padding = SignatureSchemes.IsPss(scheme) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return rsa.VerifyData(data, signature, SignatureSchemes.HashOf(scheme), padding);
            }
            case SignatureScheme.RsaPssPssSha256:
            case SignatureScheme.RsaPssPssSha384:
            case SignatureScheme.RsaPssPssSha512:
            {
                RequireKey(oid == KeyOids.RsaSsaPss, scheme, certificate);
                using var rsa = RSA.Create();
                // .NET does not open id-RSASSA-PSS keys from a certificate; the key bits are a plain RSAPublicKey.
                rsa.ImportRSAPublicKey(certificate.PublicKey.EncodedKeyValue.RawData, out _);
                return rsa.VerifyData(data, signature, SignatureSchemes.HashOf(scheme), RSASignaturePadding.Pss);
            }
            case SignatureScheme.Ed25519:
            {
                RequireKey(oid == KeyOids.Ed25519, scheme, certificate);
                var raw = certificate.PublicKey.EncodedKeyValue.RawData;
                if (raw.Length != Ed25519PublicKeyParameters.KeySize) return false;
                if (signature.Length != Ed25519PrivateKeyParameters.SignatureSize) return false;
                var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
                verifier.Init(false, new Ed25519PublicKeyParameters(raw));
                verifier.BlockUpdate(data);
                return verifier.VerifySignature(signature.ToArray());
            }
            default:
                throw TlsException.Illegal($"signature scheme {GroupNames.Of(scheme)} is not supported");
        }
    }

    private static void RequireKey(bool ok, SignatureScheme scheme, X509Certificate2 certificate)
    {
        if (!ok)
            throw TlsException.Illegal($"signature scheme {GroupNames.Of(scheme)} does not match the {KeyDescription.Of(certificate)} key of '{certificate.Subject}'");
    }
}
