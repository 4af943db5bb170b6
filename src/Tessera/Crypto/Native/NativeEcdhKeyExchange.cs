using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto.Native;

/// <summary>
/// ECDHE over P-256, P-384 and P-521 (RFC 8446 §4.2.8.2, §7.4.2) through libcrypto's EC_KEY functions. Those are
/// OpenSSL's own fast paths (P-256's precomputed-generator code among them) with no per-call algorithm fetch and no
/// key re-validation by scalar multiplication, which is where going through .NET's wrappers spends its time.
/// The scalar comes from the injected random exactly as in the portable implementation
/// (<see cref="EcdhKeyExchange.DrawScalar"/>), so both providers produce the same share from the same random bytes.
/// A peer share must be an uncompressed point of the right length on the curve; anything else is
/// <c>illegal_parameter</c>. The shared secret is the x-coordinate, padded to the field size.
/// </summary>
internal sealed class NativeEcdhKeyExchange : KeyExchange
{
    private readonly EcKeyHandle _key;
    private readonly int _fieldLength;

    private NativeEcdhKeyExchange(NamedGroup group, EcKeyHandle key, int fieldLength, byte[] publicKey)
    {
        Group = group;
        _key = key;
        _fieldLength = fieldLength;
        PublicKey = publicKey;
    }

    public override NamedGroup Group { get; }

    public override byte[] PublicKey { get; }

    public static NativeEcdhKeyExchange Create(NamedGroup group, RandomNumberGenerator? random)
    {
        var (nid, fieldLength) = group switch
        {
            NamedGroup.Secp256r1 => (LibCrypto.NidP256, 32),
            NamedGroup.Secp384r1 => (LibCrypto.NidP384, 48),
            NamedGroup.Secp521r1 => (LibCrypto.NidP521, 66),
            _ => throw new ArgumentException("not a NIST curve", nameof(group)),
        };
        var d = EcdhKeyExchange.DrawScalar(group, random);
        var raw = LibCrypto.EC_KEY_new_by_curve_name(nid);
        if (raw == 0) throw LibCrypto.Fail("EC_KEY_new_by_curve_name");
        var key = new EcKeyHandle(raw);
        nint scalar = 0, point = 0;
        var kept = false;
        try
        {
            scalar = LibCrypto.BN_bin2bn(d, d.Length, 0);
            if (scalar == 0) throw LibCrypto.Fail("BN_bin2bn");
            var curve = LibCrypto.EC_KEY_get0_group(raw);
            point = LibCrypto.EC_POINT_new(curve);
            if (point == 0) throw LibCrypto.Fail("EC_POINT_new");
            if (LibCrypto.EC_POINT_mul(curve, point, scalar, 0, 0, 0) != 1) throw LibCrypto.Fail("EC_POINT_mul");
            if (LibCrypto.EC_KEY_set_private_key(raw, scalar) != 1) throw LibCrypto.Fail("EC_KEY_set_private_key");
            if (LibCrypto.EC_KEY_set_public_key(raw, point) != 1) throw LibCrypto.Fail("EC_KEY_set_public_key");
            var publicKey = new byte[1 + 2 * fieldLength];
            var written = LibCrypto.EC_POINT_point2oct(curve, point, LibCrypto.PointConversionUncompressed, publicKey, (nuint)publicKey.Length, 0);
            if (written != (nuint)publicKey.Length) throw LibCrypto.Fail("EC_POINT_point2oct");
            kept = true;
            return new NativeEcdhKeyExchange(group, key, fieldLength, publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
            if (scalar != 0) LibCrypto.BN_clear_free(scalar);
            if (point != 0) LibCrypto.EC_POINT_free(point);
            if (!kept) key.Dispose();
        }
    }

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        // RFC 8446 §4.2.8.2: TLS 1.3 allows only the uncompressed form.
        if (peerPublicKey.Length != 1 + 2 * _fieldLength || peerPublicKey[0] != 0x04)
            throw TlsException.Illegal($"{TlsNames.Of(Group)} key share is not an uncompressed point of {1 + 2 * _fieldLength} bytes");
        var added = false;
        _key.DangerousAddRef(ref added);   // throws ObjectDisposedException once disposed
        var key = _key.DangerousGetHandle();
        var group = LibCrypto.EC_KEY_get0_group(key);
        var peer = LibCrypto.EC_POINT_new(group);
        try
        {
            if (peer == 0) throw LibCrypto.Fail("EC_POINT_new");
            // oct2point refuses coordinates outside the field and points off the curve; checked again here so the
            // rule (RFC 8446 §4.2.8.2 validation; cofactor 1, so no subgroup check is needed) does not rest on it.
            if (LibCrypto.EC_POINT_oct2point(group, peer, peerPublicKey, (nuint)peerPublicKey.Length, 0) != 1
                || LibCrypto.EC_POINT_is_on_curve(group, peer, 0) != 1
                || LibCrypto.EC_POINT_is_at_infinity(group, peer) != 0)
            {
                LibCrypto.ERR_clear_error();
                throw TlsException.Illegal($"{TlsNames.Of(Group)} key share is not a point on the curve");
            }
            var secret = new byte[_fieldLength];
            var length = LibCrypto.ECDH_compute_key(secret, (nuint)secret.Length, peer, key, 0);
            if (length != _fieldLength) throw LibCrypto.Fail("ECDH_compute_key");
            return secret;
        }
        finally
        {
            if (peer != 0) LibCrypto.EC_POINT_free(peer);
            if (added) _key.DangerousRelease();
        }
    }

    public override void Dispose() => _key.Dispose();
}
