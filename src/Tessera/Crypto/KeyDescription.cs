using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>Short human descriptions of public keys ("ECDSA P-256", "RSA 2048", "Ed25519").</summary>
public static class KeyDescription
{
    /// <summary>Never throws: it describes peers' certificates in traces, where a malformed key is described, not fatal.</summary>
    public static string Of(X509Certificate2 certificate)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case KeyOids.EcPublicKey:
                try
                {
                    using var ec = certificate.GetECDsaPublicKey();
                    return ec is null ? "EC" : Ecdsa(CurveOf(ec), ec.KeySize);
                }
                catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
                {
                    return "EC (a key that does not load)";
                }
            case KeyOids.RsaEncryption:
                try
                {
                    using var rsa = certificate.GetRSAPublicKey();
                    return rsa is null ? "RSA" : $"RSA {rsa.KeySize}";
                }
                catch (CryptographicException)
                {
                    return "RSA (a key that does not load)";
                }
            case KeyOids.RsaSsaPss:
                return "RSA-PSS";
            case KeyOids.Ed25519:
                return "Ed25519";
            default:
                return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
        }
    }

    /// <summary>An ECDSA key by its named curve: the size alone does not name it (secp256k1 is 256 bits too).</summary>
    internal static string Ecdsa(string? curveOid, int keySize) => curveOid switch
    {
        CurveOids.P256 => "ECDSA P-256",
        CurveOids.P384 => "ECDSA P-384",
        CurveOids.P521 => "ECDSA P-521",
        null => $"ECDSA ({keySize} bits, unnamed curve)",
        _ => $"ECDSA on {new Oid(curveOid).FriendlyName ?? curveOid}",
    };

    /// <summary>The named curve's OID of an EC key, null for explicit curve parameters.</summary>
    internal static string? CurveOf(ECAlgorithm key) => key.ExportParameters(false).Curve.Oid?.Value;

    /// <summary>The TLS group that names the same curve, for the RFC 8422 §5.1 certificate-curve check; null if none does.</summary>
    internal static NamedGroup? GroupOf(string? curveOid) => curveOid switch
    {
        CurveOids.P256 => NamedGroup.Secp256r1,
        CurveOids.P384 => NamedGroup.Secp384r1,
        CurveOids.P521 => NamedGroup.Secp521r1,
        _ => null,
    };
}
