using System.Numerics;
using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>ECDHE over NIST P-256 / P-384 / P-521 with .NET's ECDiffieHellman (RFC 8446 §4.2.8.2).</summary>
internal sealed class EcdhKeyExchange : KeyExchange
{
    private readonly ECDiffieHellman _ecdh;
    private readonly ECCurve _curve;
    private readonly int _fieldLength;

    private EcdhKeyExchange(NamedGroup group, ECCurve curve, int fieldLength, byte[] d)
    {
        Group = group;
        _curve = curve;
        _fieldLength = fieldLength;
        _ecdh = ECDiffieHellman.Create(new ECParameters { Curve = curve, D = d });
        CryptographicOperations.ZeroMemory(d);
        var p = _ecdh.ExportParameters(false);
        PublicKey = new byte[1 + 2 * fieldLength];
        PublicKey[0] = 0x04; // uncompressed; the only form TLS 1.3 allows
        p.Q.X!.CopyTo(PublicKey, 1 + fieldLength - p.Q.X.Length);
        p.Q.Y!.CopyTo(PublicKey, 1 + 2 * fieldLength - p.Q.Y.Length);
    }

    public override NamedGroup Group { get; }
    public override byte[] PublicKey { get; }

    public static EcdhKeyExchange Create(NamedGroup group, RandomNumberGenerator? random)
    {
        var (curve, length) = group switch
        {
            NamedGroup.Secp256r1 => (ECCurve.NamedCurves.nistP256, 32),
            NamedGroup.Secp384r1 => (ECCurve.NamedCurves.nistP384, 48),
            NamedGroup.Secp521r1 => (ECCurve.NamedCurves.nistP521, 66),
            _ => throw new ArgumentException("not a NIST curve", nameof(group)),
        };
        return new EcdhKeyExchange(group, curve, length, DrawScalar(group, random));
    }

    /// <summary>
    /// The private scalar, big-endian in the field's length, drawn from the injected random. Every provider uses this
    /// draw, so the same random bytes give the same share whichever provider computes it.
    /// </summary>
    internal static byte[] DrawScalar(NamedGroup group, RandomNumberGenerator? random)
    {
        var (length, order) = group switch
        {
            NamedGroup.Secp256r1 => (32, P256Order),
            NamedGroup.Secp384r1 => (48, P384Order),
            NamedGroup.Secp521r1 => (66, P521Order),
            _ => throw new ArgumentException("not a NIST curve", nameof(group)),
        };
        // P-521's order has 521 bits in 66 bytes: the top byte keeps its one meaningful bit, or nearly every draw
        // would be rejected. Masking bits above the order's length keeps the draw uniform before the rejection.
        var topMask = group == NamedGroup.Secp521r1 ? (byte)0x01 : (byte)0xFF;
        // Rejection sampling of the scalar keeps it uniform in [1, n-1] and derived from the injected random.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var d = TlsRandom.Bytes(random, length);
            d[0] &= topMask;
            var value = new BigInteger(d, isUnsigned: true, isBigEndian: true);
            if (!value.IsZero && value < order) return d;
            CryptographicOperations.ZeroMemory(d);
        }
        throw TlsException.Internal("the random source produced no valid EC scalar in 64 attempts");
    }

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 1 + 2 * _fieldLength || peerPublicKey[0] != 0x04)
            throw TlsException.Illegal($"{TlsNames.Of(Group)} key share is not an uncompressed point of {1 + 2 * _fieldLength} bytes");
        ECDiffieHellman peer;
        try
        {
            peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = _curve,
                Q = new ECPoint
                {
                    X = peerPublicKey.Slice(1, _fieldLength).ToArray(),
                    Y = peerPublicKey.Slice(1 + _fieldLength, _fieldLength).ToArray(),
                },
            });
        }
        catch (CryptographicException e)
        {
            // The platform validates the point on import; a point off the curve lands here.
            throw new TlsException(AlertDescription.IllegalParameter, $"{TlsNames.Of(Group)} key share is not a point on the curve", false, e);
        }
        using (peer)
        {
            return _ecdh.DeriveRawSecretAgreement(peer.PublicKey);
        }
    }

    public override void Dispose() => _ecdh.Dispose();

    private static readonly BigInteger P256Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger P521Order = BigInteger.Parse(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409", System.Globalization.NumberStyles.HexNumber);

    private static readonly BigInteger P384Order = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", System.Globalization.NumberStyles.HexNumber);
}
