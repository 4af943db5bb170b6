namespace Tessera.Pki;

/// <summary>Key algorithms the CA can make, for itself and for the certificates it issues.</summary>
public enum KeyType
{
    /// <summary>ECDSA on P-256 (the default).</summary>
    EcdsaP256,
    /// <summary>ECDSA on P-384.</summary>
    EcdsaP384,
    /// <summary>RSA, 2048 bits.</summary>
    Rsa2048,
    /// <summary>RSA, 3072 bits.</summary>
    Rsa3072,
    /// <summary>Ed25519 (RFC 8410): fine for a private PKI, outside the CA/Browser Forum rules.</summary>
    Ed25519,
}

/// <summary>The names people type for key types.</summary>
public static class KeyTypes
{
    /// <summary>"ecdsa-p256" (or "p256", "ecdsa"), "ecdsa-p384" ("p384"), "rsa2048" ("rsa"), "rsa3072", "ed25519".</summary>
    /// <exception cref="PkiException">An unknown name.</exception>

    public static KeyType Parse(string text) => text.ToLowerInvariant() switch
    {
        "ecdsa-p256" or "p256" or "ecdsa" => KeyType.EcdsaP256,
        "ecdsa-p384" or "p384" => KeyType.EcdsaP384,
        "rsa2048" or "rsa" => KeyType.Rsa2048,
        "rsa3072" => KeyType.Rsa3072,
        "ed25519" => KeyType.Ed25519,
        _ => throw new PkiException(PkiFailure.InvalidRequest, $"unknown key type '{text}'; use ecdsa-p256, ecdsa-p384, rsa2048, rsa3072 or ed25519"),
    };
}
