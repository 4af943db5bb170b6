using System.Security.Cryptography.X509Certificates;

namespace Tessera.Crypto;

/// <summary>Short human descriptions of public keys ("ECDSA P-256", "RSA 2048", "Ed25519").</summary>
public static class KeyDescription
{
    public static string Of(X509Certificate2 certificate)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case KeyOids.EcPublicKey:
                using (var ec = certificate.GetECDsaPublicKey())
                    return ec is null ? "EC" : $"ECDSA P-{ec.KeySize}";
            case KeyOids.RsaEncryption:
                using (var rsa = certificate.GetRSAPublicKey())
                    return rsa is null ? "RSA" : $"RSA {rsa.KeySize}";
            case KeyOids.RsaSsaPss:
                return "RSA-PSS";
            case KeyOids.Ed25519:
                return "Ed25519";
            default:
                return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
        }
    }
}
