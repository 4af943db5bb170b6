namespace Tessera.Wire;

/// <summary>
/// One row of the TLS Cipher Suites registry as Tessera knows it (<see cref="CipherSuiteRegistry"/>): its IANA number
/// and name, the OpenSSL name (what sslscan, testssl.sh and nginx configs say), the oldest version that defines it,
/// and the parts a scanner's grade is judged on. Tessera itself negotiates only a few of them (<see cref="Crypto.CipherSuiteInfo"/>).
/// </summary>
/// <param name="Id">The IANA code point.</param>
/// <param name="IanaName">The IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).</param>
/// <param name="OpenSslName">OpenSSL's name (ECDHE-RSA-AES128-GCM-SHA256).</param>
/// <param name="MinVersion">The oldest version that defines it.</param>
/// <param name="KeyExchange">OpenSSL's Kx: ECDH and DH mean ephemeral (ECDHE/DHE), RSA is static RSA key transport, any is TLS 1.3.</param>
/// <param name="Authentication">OpenSSL's Au: RSA, ECDSA, DSS, PSK, SRP, None (anonymous), any.</param>
/// <param name="Encryption">OpenSSL's Enc without the size: AESGCM, AES (CBC), CHACHA20/POLY1305, 3DES, RC4, None, ...</param>
/// <param name="Mac">OpenSSL's Mac: SHA1, SHA256, SHA384, MD5, or AEAD.</param>
/// <param name="Bits">Symmetric key strength the way sslscan prints it (3DES counts 112).</param>
public sealed record CipherSuiteEntry(ushort Id, string IanaName, string OpenSslName, ProtocolVersion MinVersion,
    string KeyExchange, string Authentication, string Encryption, int Bits, string Mac)
{
    /// <summary>Other names people type for it ("aes128"), matched as <see cref="TlsNames"/> parses.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A TLS 1.3 suite (usable in TLS 1.3 only).</summary>
    public bool IsTls13 => MinVersion == ProtocolVersion.Tls13;
    /// <summary>An AEAD suite (GCM, CCM, ChaCha20-Poly1305).</summary>
    public bool IsAead => Mac == "AEAD";
    /// <summary>No authentication (anonymous DH): anyone in the middle can answer.</summary>
    public bool IsAnonymous => Authentication == "None";
    /// <summary>No encryption at all.</summary>
    public bool IsNullCipher => Encryption == "None";
    /// <summary>Export strength (56 bits or less).</summary>
    public bool IsExport => Bits <= 56 && !IsNullCipher;
    /// <summary>RC4, forbidden by RFC 7465.</summary>
    public bool IsRc4 => Encryption == "RC4";
    /// <summary>3DES, weak to Sweet32.</summary>
    public bool IsTripleDes => Encryption == "3DES";
    /// <summary>A block cipher in CBC mode (MAC-then-encrypt).</summary>
    public bool IsCbc => !IsAead && !IsNullCipher && !IsRc4;

    /// <summary>ECDHE, DHE (and their PSK forms) and every TLS 1.3 suite; static RSA, plain PSK and SRP are not.</summary>
    public bool IsForwardSecret => KeyExchange is "ECDH" or "DH" or "ECDHEPSK" or "DHEPSK" or "any";

    /// <summary>Suites a server should never accept at all: no encryption, no authentication, export strength, RC4.</summary>
    public bool IsInsecure => IsNullCipher || IsAnonymous || IsExport || IsRc4;

    /// <summary>Suites that are not broken but weak: 3DES (Sweet32), anything under 128 bits.</summary>
    public bool IsWeak => !IsInsecure && (IsTripleDes || Bits < 128);

    /// <summary>Whether the suite can be negotiated in <paramref name="version"/>.</summary>
    public bool UsableIn(ProtocolVersion version) =>
        version == ProtocolVersion.Tls13 ? IsTls13 : !IsTls13 && (ushort)MinVersion <= (ushort)version;
}
