using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// A private key that signs CertificateVerify. Subclass it to keep keys in an HSM or a remote signer;
/// Tessera only asks for signatures over the bytes RFC 8446 §4.4.3 defines.
/// </summary>
public abstract class TlsSigningKey : IDisposable
{
    /// <summary>The TLS 1.3 schemes this key can produce, in the order the key prefers them.</summary>
    public abstract IReadOnlyList<SignatureScheme> Schemes { get; }

    /// <summary>The schemes this key can produce in TLS 1.2 (RSA keys add PKCS#1 v1.5 there); by default the TLS 1.3 set.</summary>
    public virtual IReadOnlyList<SignatureScheme> Tls12Schemes => Schemes;

    /// <summary>The key type, for matching TLS 1.2 suites (ECDHE_ECDSA or ECDHE_RSA).</summary>
    public virtual SuiteAuthentication Authentication => SuiteAuthentication.Ecdsa;

    internal IReadOnlyList<SignatureScheme> SchemesFor(ProtocolVersion version) => version == ProtocolVersion.Tls13 ? Schemes : Tls12Schemes;

    /// <summary>Signs <paramref name="data"/> (the CertificateVerify or ServerKeyExchange input, not a hash of it) with <paramref name="scheme"/>, one of <see cref="Schemes"/> or <see cref="Tls12Schemes"/>.</summary>
    public abstract byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data);

    /// <summary>Releases the key; a subclass that holds one zeroes or closes it here.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    internal static TlsSigningKey FromEcdsa(ECDsa key) => new EcdsaSigningKey(key);
    internal static TlsSigningKey FromRsa(RSA key, bool pssOnlyKey = false) => new RsaSigningKey(key, pssOnlyKey);
    internal static TlsSigningKey FromEd25519Seed(ReadOnlySpan<byte> seed) => new Ed25519SigningKey(seed);

    /// <summary>Loads a PEM private key: PKCS#8 (RSA, RSA-PSS, EC, Ed25519), PKCS#1 RSA or SEC1 EC.</summary>
    public static TlsSigningKey FromPem(string pem) => PrivateKeyPem.Load(pem);

    /// <summary>For <see cref="Sign"/> implementations: throws an internal-error <see cref="TlsException"/> unless <paramref name="scheme"/> is among <paramref name="supported"/>.</summary>
    protected static void RequireScheme(IReadOnlyList<SignatureScheme> supported, SignatureScheme scheme)
    {
        foreach (var s in supported)
            if (s == scheme) return;
        throw TlsException.Internal($"this key cannot sign with {TlsNames.Of(scheme)}");
    }
}
