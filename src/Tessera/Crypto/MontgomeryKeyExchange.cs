using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>
/// X25519 and X448 (RFC 7748) through BouncyCastle's primitives; .NET has neither on Linux. The two differ only in
/// sizes and BouncyCastle's types, so one class holds the rules they share: the share length, and the all-zero result
/// of a low-order point refused (RFC 8446 §7.4.2, RFC 7748 §6).
/// </summary>
internal sealed class MontgomeryKeyExchange : KeyExchange
{
    private readonly AsymmetricKeyParameter _private;
    private readonly string _name;
    private readonly int _keySize;
    private readonly Func<IRawAgreement> _agreement;
    private readonly PeerKey _peerKey;

    /// <summary>The peer's share as BouncyCastle's key type (a span: no copy of the share).</summary>
    private delegate AsymmetricKeyParameter PeerKey(ReadOnlySpan<byte> encoded);

    private MontgomeryKeyExchange(NamedGroup group, AsymmetricKeyParameter privateKey, byte[] publicKey, int keySize,
        Func<IRawAgreement> agreement, PeerKey peerKey)
    {
        Group = group;
        _name = TlsNames.Of(group);
        _private = privateKey;
        PublicKey = publicKey;
        _keySize = keySize;
        _agreement = agreement;
        _peerKey = peerKey;
    }

    public override NamedGroup Group { get; }
    public override byte[] PublicKey { get; }

    public static MontgomeryKeyExchange CreateX25519(RandomNumberGenerator? random)
    {
        var secret = TlsRandom.Bytes(random, X25519PrivateKeyParameters.KeySize);
        var key = new X25519PrivateKeyParameters(secret, 0);
        CryptographicOperations.ZeroMemory(secret);
        return new(NamedGroup.X25519, key, key.GeneratePublicKey().GetEncoded(), X25519PublicKeyParameters.KeySize,
            () => new X25519Agreement(), peer => new X25519PublicKeyParameters(peer));
    }

    public static MontgomeryKeyExchange CreateX448(RandomNumberGenerator? random)
    {
        var secret = TlsRandom.Bytes(random, X448PrivateKeyParameters.KeySize);
        var key = new X448PrivateKeyParameters(secret, 0);
        CryptographicOperations.ZeroMemory(secret);
        return new(NamedGroup.X448, key, key.GeneratePublicKey().GetEncoded(), X448PublicKeyParameters.KeySize,
            () => new X448Agreement(), peer => new X448PublicKeyParameters(peer));
    }

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != _keySize)
            throw TlsException.Illegal($"{_name} key share is {peerPublicKey.Length} bytes; expected {_keySize}");
        var agreement = _agreement();
        agreement.Init(_private);
        var secret = new byte[agreement.AgreementSize];
        try
        {
            agreement.CalculateAgreement(_peerKey(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException e)
        {
            // BouncyCastle refuses an all-zero result itself: a low-order point.
            throw new TlsException(AlertDescription.IllegalParameter, $"{_name} key share is a low-order point (all-zero shared secret)", false, e);
        }
        // Checked here as well, so the rule does not rest on the library's: an all-zero result means a low-order point.
        if (CryptographicOperations.FixedTimeEquals(secret, new byte[secret.Length]))
            throw TlsException.Illegal($"{_name} key share is a low-order point (all-zero shared secret)");
        return secret;
    }

    public override void Dispose() { }
}
