namespace Tessera.Crypto;

/// <summary>SubjectPublicKeyInfo algorithm OIDs Tessera recognises.</summary>
internal static class KeyOids
{
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string RsaSsaPss = "1.2.840.113549.1.1.10";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Ed25519 = "1.3.101.112";
}

/// <summary>Named-curve OIDs of the ECDSA curves TLS signature schemes name.</summary>
internal static class CurveOids
{
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";
}
