using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>X25519 (RFC 7748) through BouncyCastle's primitive; .NET has no X25519 on Linux.</summary>
internal sealed class X25519KeyExchange : KeyExchange
{
    private readonly X25519PrivateKeyParameters _private;

    private X25519KeyExchange(byte[] privateKey)
    {
        _private = new X25519PrivateKeyParameters(privateKey, 0);
        PublicKey = _private.GeneratePublicKey().GetEncoded();
        CryptographicOperations.ZeroMemory(privateKey);
    }

    public override NamedGroup Group => NamedGroup.X25519;
    public override byte[] PublicKey { get; }

    public static X25519KeyExchange Create(RandomNumberGenerator? random) =>
        new(TlsRandom.Bytes(random, X25519PrivateKeyParameters.KeySize));

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X25519PublicKeyParameters.KeySize)
            throw TlsException.Illegal($"x25519 key share is {peerPublicKey.Length} bytes; expected 32");
        var agreement = new X25519Agreement();
        agreement.Init(_private);
        var secret = new byte[agreement.AgreementSize];
        try
        {
            agreement.CalculateAgreement(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException e)
        {
            // BouncyCastle refuses a result of all zeroes itself (a low-order point).
            throw new TlsException(AlertDescription.IllegalParameter, "x25519 key share is a low-order point (all-zero shared secret)", false, e);
        }
        // RFC 8446 §7.4.2 / RFC 7748 §6.1: an all-zero result means a low-order point; abort.
        if (CryptographicOperations.FixedTimeEquals(secret, new byte[secret.Length]))
            throw TlsException.Illegal("x25519 key share is a low-order point (all-zero shared secret)");
        return secret;
    }

    public override void Dispose() { }
}
