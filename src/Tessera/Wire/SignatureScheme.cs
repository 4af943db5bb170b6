namespace Tessera.Wire;

/// <summary>Signature schemes (RFC 8446 §4.2.3). Values outside the enum are kept as numbers.</summary>
public enum SignatureScheme : ushort
{
    /// <summary>rsa_pkcs1_sha1 (0x0201).</summary>
    RsaPkcs1Sha1 = 0x0201,
    /// <summary>ecdsa_sha1 (0x0203).</summary>
    EcdsaSha1 = 0x0203,
    /// <summary>rsa_pkcs1_sha256 (0x0401).</summary>
    RsaPkcs1Sha256 = 0x0401,
    /// <summary>rsa_pkcs1_sha384 (0x0501).</summary>
    RsaPkcs1Sha384 = 0x0501,
    /// <summary>rsa_pkcs1_sha512 (0x0601).</summary>
    RsaPkcs1Sha512 = 0x0601,
    /// <summary>ecdsa_secp256r1_sha256 (0x0403).</summary>
    EcdsaSecp256r1Sha256 = 0x0403,
    /// <summary>ecdsa_secp384r1_sha384 (0x0503).</summary>
    EcdsaSecp384r1Sha384 = 0x0503,
    /// <summary>ecdsa_secp521r1_sha512 (0x0603).</summary>
    EcdsaSecp521r1Sha512 = 0x0603,
    /// <summary>rsa_pss_rsae_sha256 (0x0804).</summary>
    RsaPssRsaeSha256 = 0x0804,
    /// <summary>rsa_pss_rsae_sha384 (0x0805).</summary>
    RsaPssRsaeSha384 = 0x0805,
    /// <summary>rsa_pss_rsae_sha512 (0x0806).</summary>
    RsaPssRsaeSha512 = 0x0806,
    /// <summary>ed25519 (0x0807).</summary>
    Ed25519 = 0x0807,
    /// <summary>ed448 (0x0808).</summary>
    Ed448 = 0x0808,
    /// <summary>rsa_pss_pss_sha256 (0x0809).</summary>
    RsaPssPssSha256 = 0x0809,
    /// <summary>rsa_pss_pss_sha384 (0x080a).</summary>
    RsaPssPssSha384 = 0x080a,
    /// <summary>rsa_pss_pss_sha512 (0x080b).</summary>
    RsaPssPssSha512 = 0x080b,
}
