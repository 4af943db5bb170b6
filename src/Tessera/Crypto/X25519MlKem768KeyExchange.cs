using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// X25519MLKEM768 (0x11EC, draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 (FIPS 203, BouncyCastle's primitive) and X25519
/// side by side, so the key stays safe while either holds. ML-KEM comes first everywhere in this group (unlike the
/// NIST-curve hybrids): client share = encapsulation key ‖ X25519 key, server share = ciphertext ‖ X25519 key,
/// shared secret = ML-KEM secret ‖ X25519 secret, concatenated without a KDF (the TLS key schedule is the KDF).
/// A KEM is not symmetric: this object is the client's half (it holds the decapsulation key); the server answers
/// with <see cref="Encapsulate"/>. TLS 1.3 only.
/// </summary>
internal sealed class X25519MlKem768KeyExchange : KeyExchange
{
    public const int EncapsulationKeyLength = 1184;   // 384·k + 32, k = 3
    public const int CiphertextLength = 1088;
    public const int ClientShareLength = EncapsulationKeyLength + X25519Length;
    public const int ServerShareLength = CiphertextLength + X25519Length;
    private const int X25519Length = 32;
    private const int MlKemSecretLength = 32;
    private const int PolynomialBytes = 384;          // 256 coefficients of 12 bits
    private const int Q = 3329;

    private static readonly MLKemParameters Parameters = MLKemParameters.ml_kem_768;

    private readonly MLKemPrivateKeyParameters _decapsulationKey;
    private readonly KeyExchange _x25519;

    private X25519MlKem768KeyExchange(MLKemPrivateKeyParameters decapsulationKey, KeyExchange x25519)
    {
        _decapsulationKey = decapsulationKey;
        _x25519 = x25519;
        PublicKey = new byte[ClientShareLength];
        decapsulationKey.GetPublicKeyEncoded().CopyTo(PublicKey, 0);
        x25519.PublicKey.CopyTo(PublicKey, EncapsulationKeyLength);
    }

    public override NamedGroup Group => NamedGroup.X25519MLKEM768;
    public override byte[] PublicKey { get; }

    /// <summary>
    /// The client's key pairs: ML-KEM from a 64-byte seed d ‖ z (FIPS 203 §6.1), then X25519 (from
    /// <paramref name="provider"/>, the process default when null), both from the injected random.
    /// </summary>
    public static X25519MlKem768KeyExchange Create(RandomNumberGenerator? random, CryptoProvider? provider = null)
    {
        var seed = TlsRandom.Bytes(random, 64);
        var decapsulationKey = MLKemPrivateKeyParameters.FromSeed(Parameters, seed);
        CryptographicOperations.ZeroMemory(seed);
        return new X25519MlKem768KeyExchange(decapsulationKey, (provider ?? CryptoProvider.Default).GenerateKeyExchange(NamedGroup.X25519, random));
    }

    /// <summary>Client side: the server's ciphertext ‖ X25519 key becomes ML-KEM secret ‖ X25519 secret.</summary>
    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> serverShare)
    {
        if (serverShare.Length != ServerShareLength)
            throw TlsException.Illegal($"X25519MLKEM768 server share is {serverShare.Length} bytes; expected {ServerShareLength}");
        var secret = new byte[MlKemSecretLength + X25519Length];
        // The X25519 half first: a low-order point fails here before any decapsulation work is spent.
        var classic = ClassicHalf(_x25519, serverShare[CiphertextLength..], "server");
        classic.CopyTo(secret, MlKemSecretLength);
        CryptographicOperations.ZeroMemory(classic);
        // FIPS 203 §6.3: decapsulation never fails on a well-sized ciphertext; a forged one yields an unrelated
        // secret (implicit rejection) and the handshake fails at Finished with decrypt_error/bad_record_mac.
        var decapsulator = new MLKemDecapsulator(Parameters);
        decapsulator.Init(_decapsulationKey);
        decapsulator.Decapsulate(serverShare[..CiphertextLength], secret.AsSpan(0, MlKemSecretLength));
        return secret;
    }

    /// <summary>
    /// Server side: checks the client's share (its length, and the encapsulation key per FIPS 203 §7.2), encapsulates
    /// to it and answers with ciphertext ‖ a fresh X25519 key.
    /// </summary>
    public static KeyShareAnswer Encapsulate(ReadOnlySpan<byte> clientShare, RandomNumberGenerator? random, CryptoProvider? provider = null)
    {
        if (clientShare.Length != ClientShareLength)
            throw TlsException.Illegal($"X25519MLKEM768 client share is {clientShare.Length} bytes; expected {ClientShareLength}");
        var encapsulationKey = clientShare[..EncapsulationKeyLength];
        if (!PassesModulusCheck(encapsulationKey))
            throw TlsException.Illegal("X25519MLKEM768 client share holds an invalid ML-KEM-768 encapsulation key (a coefficient is not below q = 3329, FIPS 203 §7.2)");

        var share = new byte[ServerShareLength];
        var secret = new byte[MlKemSecretLength + X25519Length];
        using (var x25519 = (provider ?? CryptoProvider.Default).GenerateKeyExchange(NamedGroup.X25519, random))
        {
            var classic = ClassicHalf(x25519, clientShare[EncapsulationKeyLength..], "client");
            classic.CopyTo(secret, MlKemSecretLength);
            CryptographicOperations.ZeroMemory(classic);
            x25519.PublicKey.CopyTo(share, CiphertextLength);
        }
        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(new ParametersWithRandom(
            MLKemPublicKeyParameters.FromEncoding(Parameters, encapsulationKey.ToArray()),
            new SecureRandom(new InjectedRandomGenerator(random))));
        encapsulator.Encapsulate(share.AsSpan(0, CiphertextLength), secret.AsSpan(0, MlKemSecretLength));
        return new KeyShareAnswer(share, secret);
    }

    /// <summary>The X25519 agreement of one half, its refusal named for the hybrid so the alert's reason says which group failed.</summary>
    private static byte[] ClassicHalf(KeyExchange x25519, ReadOnlySpan<byte> peerHalf, string side)
    {
        try
        {
            return x25519.DeriveSharedSecret(peerHalf);
        }
        catch (TlsException e) when (e.Alert == AlertDescription.IllegalParameter)
        {
            throw new TlsException(AlertDescription.IllegalParameter, $"X25519MLKEM768 {side} share: its {e.Message}", false, e);
        }
    }

    /// <summary>
    /// FIPS 203 §7.2 modulus check: ByteEncode12(ByteDecode12(ek)) = ek over the 3·384 polynomial bytes, i.e. every
    /// 12-bit coefficient (two per three bytes, little-endian) is below q. The trailing 32 bytes are the seed ρ.
    /// </summary>
    public static bool PassesModulusCheck(ReadOnlySpan<byte> encapsulationKey)
    {
        if (encapsulationKey.Length != EncapsulationKeyLength) return false;
        var polynomials = encapsulationKey[..(3 * PolynomialBytes)];
        for (var i = 0; i < polynomials.Length; i += 3)
        {
            var low = polynomials[i] | (polynomials[i + 1] & 0x0F) << 8;
            var high = polynomials[i + 1] >> 4 | polynomials[i + 2] << 4;
            if (low >= Q || high >= Q) return false;
        }
        return true;
    }

    public override void Dispose() => _x25519.Dispose();
}
