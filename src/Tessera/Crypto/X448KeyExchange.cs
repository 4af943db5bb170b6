using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>X448 (RFC 7748) through BouncyCastle's primitive; .NET has no X448.</summary>
internal sealed class X448KeyExchange : KeyExchange
{
    private readonly X448PrivateKeyParameters _private;

    private X448KeyExchange(byte[] privateKey)
    {
        _private = new X448PrivateKeyParameters(privateKey, 0);
        PublicKey = _private.GeneratePublicKey().GetEncoded();
        CryptographicOperations.ZeroMemory(privateKey);
    }

    public override NamedGroup Group => NamedGroup.X448;
    public override byte[] PublicKey { get; }

    public static X448KeyExchange Create(RandomNumberGenerator? random) =>
        new(TlsRandom.Bytes(random, X448PrivateKeyParameters.KeySize));

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != X448PublicKeyParameters.KeySize)
            throw TlsException.Illegal($"x448 key share is {peerPublicKey.Length} bytes; expected 56");
        var agreement = new X448Agreement();
        agreement.Init(_private);
        var secret = new byte[agreement.AgreementSize];
        try
        {
            agreement.CalculateAgreement(new X448PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException e)
        {
            // BouncyCastle refuses a result of all zeroes itself (a low-order point).
            throw new TlsException(AlertDescription.IllegalParameter, "x448 key share is a low-order point (all-zero shared secret)", false, e);
        }
        // RFC 8446 §7.4.2 / RFC 7748 §6.2: an all-zero result means a low-order point; abort.
        if (CryptographicOperations.FixedTimeEquals(secret, new byte[secret.Length]))
            throw TlsException.Illegal("x448 key share is a low-order point (all-zero shared secret)");
        return secret;
    }

    public override void Dispose() { }
}
