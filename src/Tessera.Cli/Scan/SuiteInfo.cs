using Tessera.Wire;

namespace Tessera.Cli.Scan;

/// <summary>
/// One cipher suite as the scanner knows it: its IANA number and name, the OpenSSL name (what sslscan, testssl.sh
/// and nginx configs say), the oldest version that defines it, and the parts a grade is judged on.
/// </summary>
/// <param name="KeyExchange">OpenSSL's Kx: ECDH and DH mean ephemeral (ECDHE/DHE), RSA is static RSA key transport, any is TLS 1.3.</param>
/// <param name="Authentication">OpenSSL's Au: RSA, ECDSA, DSS, PSK, SRP, None (anonymous), any.</param>
/// <param name="Encryption">OpenSSL's Enc without the size: AESGCM, AES (CBC), CHACHA20/POLY1305, 3DES, RC4, None, ...</param>
/// <param name="Bits">Symmetric key strength the way sslscan prints it (3DES counts 112).</param>
internal sealed record SuiteInfo(ushort Id, string IanaName, string OpenSslName, ProtocolVersion MinVersion,
    string KeyExchange, string Authentication, string Encryption, int Bits, string Mac)
{
    public bool IsTls13 => MinVersion == ProtocolVersion.Tls13;
    public bool IsAead => Mac == "AEAD";
    public bool IsAnonymous => Authentication == "None";
    public bool IsNullCipher => Encryption == "None";
    public bool IsExport => Bits <= 56 && !IsNullCipher;
    public bool IsRc4 => Encryption == "RC4";
    public bool IsTripleDes => Encryption == "3DES";
    public bool IsCbc => !IsAead && !IsNullCipher && !IsRc4;

    /// <summary>ECDHE, DHE (and their PSK forms) and every TLS 1.3 suite; static RSA, plain PSK and SRP are not.</summary>
    public bool IsForwardSecret => KeyExchange is "ECDH" or "DH" or "ECDHEPSK" or "DHEPSK" or "any";

    /// <summary>Suites a server should never accept at all: no encryption, no authentication, export strength, RC4.</summary>
    public bool IsInsecure => IsNullCipher || IsAnonymous || IsExport || IsRc4;

    /// <summary>Suites that are not broken but weak: 3DES (Sweet32), anything under 128 bits.</summary>
    public bool IsWeak => !IsInsecure && (IsTripleDes || Bits < 128);

    public bool UsableIn(ProtocolVersion version) =>
        version == ProtocolVersion.Tls13 ? IsTls13 : !IsTls13 && (ushort)MinVersion <= (ushort)version;
}
