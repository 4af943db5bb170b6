namespace Tessera.Wire;

/// <summary>Names for groups, schemes, suites and versions as people see them in other tools.</summary>
public static class GroupNames
{
    /// <summary>The IANA name of a group, from <see cref="NamedGroupRegistry"/>.</summary>
    public static string Of(NamedGroup group) => NamedGroupRegistry.NameOf((ushort)group);

    /// <summary>RFC 7919 §6.1: 0x0100–0x01FF are finite-field Diffie-Hellman groups (0x01FC–0x01FF private use).</summary>
    public static bool IsFiniteField(NamedGroup group) => (ushort)group is >= 0x0100 and <= 0x01ff;

    /// <summary>The IANA name of a signature scheme ("ecdsa_secp256r1_sha256"), or "scheme(0xNNNN)" for one Tessera does not know.</summary>
    public static string Of(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPkcs1Sha1 => "rsa_pkcs1_sha1",
        SignatureScheme.EcdsaSha1 => "ecdsa_sha1",
        SignatureScheme.RsaPkcs1Sha256 => "rsa_pkcs1_sha256",
        SignatureScheme.RsaPkcs1Sha384 => "rsa_pkcs1_sha384",
        SignatureScheme.RsaPkcs1Sha512 => "rsa_pkcs1_sha512",
        SignatureScheme.EcdsaSecp256r1Sha256 => "ecdsa_secp256r1_sha256",
        SignatureScheme.EcdsaSecp384r1Sha384 => "ecdsa_secp384r1_sha384",
        SignatureScheme.EcdsaSecp521r1Sha512 => "ecdsa_secp521r1_sha512",
        SignatureScheme.RsaPssRsaeSha256 => "rsa_pss_rsae_sha256",
        SignatureScheme.RsaPssRsaeSha384 => "rsa_pss_rsae_sha384",
        SignatureScheme.RsaPssRsaeSha512 => "rsa_pss_rsae_sha512",
        SignatureScheme.Ed25519 => "ed25519",
        SignatureScheme.Ed448 => "ed448",
        SignatureScheme.RsaPssPssSha256 => "rsa_pss_pss_sha256",
        SignatureScheme.RsaPssPssSha384 => "rsa_pss_pss_sha384",
        SignatureScheme.RsaPssPssSha512 => "rsa_pss_pss_sha512",
        _ => $"scheme(0x{(ushort)scheme:x4})",
    };

    /// <summary>The IANA name of a cipher suite, from <see cref="CipherSuiteRegistry"/>.</summary>
    public static string Of(CipherSuite suite) => CipherSuiteRegistry.NameOf((ushort)suite);

    /// <summary>The RFC 8879 name of a certificate compression algorithm: "zlib", "brotli", "zstd", or its number.</summary>
    public static string Of(CertificateCompressionAlgorithm algorithm) => algorithm switch
    {
        CertificateCompressionAlgorithm.Zlib => "zlib",
        CertificateCompressionAlgorithm.Brotli => "brotli",
        CertificateCompressionAlgorithm.Zstd => "zstd",
        _ => $"0x{(ushort)algorithm:x4}",
    };

    /// <summary>A protocol version as people write it ("TLS 1.3", "SSL 3.0"), "GREASE(0xNNNN)" for a GREASE value, or "0xNNNN".</summary>
    public static string OfVersion(ushort version) => version switch
    {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => ExtensionNames.IsGrease(version) ? $"GREASE(0x{version:x4})" : $"0x{version:x4}",
    };
}
