using System.Security.Cryptography;

namespace Tessera.Crypto.Native;

/// <summary>
/// An ECDSA key (P-256, P-384 or P-521) held by libcrypto as an <c>EC_KEY</c>, imported once from .NET's parameters and
/// then signing or verifying a digest with <c>ECDSA_sign</c> / <c>ECDSA_verify</c>: no per-call fetch, no per-call
/// key import. Signatures are DER (RFC 3279), as TLS carries them. OpenSSL allows concurrent use of one key for
/// signing and verifying, so one instance serves every connection.
/// </summary>
internal sealed class NativeEcdsaKey : IDisposable
{
    private readonly EcKeyHandle _key;
    private readonly int _maxSignature;

    private NativeEcdsaKey(EcKeyHandle key)
    {
        _key = key;
        _maxSignature = LibCrypto.ECDSA_size(key.DangerousGetHandle());
        if (_maxSignature <= 0) throw LibCrypto.Fail("ECDSA_size");
    }

    /// <summary>The key's native form; <paramref name="parameters"/> has Q, and D when it is to sign. Null for a curve libcrypto is not asked to handle here.</summary>
    public static NativeEcdsaKey? Import(ECParameters parameters)
    {
        var nid = CurveNid(parameters.Curve);
        if (nid == 0 || parameters.Q.X is null || parameters.Q.Y is null) return null;
        var raw = LibCrypto.EC_KEY_new_by_curve_name(nid);
        if (raw == 0) throw LibCrypto.Fail("EC_KEY_new_by_curve_name");
        var key = new EcKeyHandle(raw);
        var kept = false;
        var field = parameters.Q.X.Length;
        var point = new byte[1 + 2 * field];
        try
        {
            point[0] = 0x04;
            parameters.Q.X.CopyTo(point, 1);
            parameters.Q.Y.CopyTo(point, 1 + field);
            if (LibCrypto.EC_KEY_oct2key(raw, point, (nuint)point.Length, 0) != 1) throw LibCrypto.Fail("EC_KEY_oct2key");
            if (parameters.D is { } d && LibCrypto.EC_KEY_oct2priv(raw, d, (nuint)d.Length) != 1) throw LibCrypto.Fail("EC_KEY_oct2priv");
            var imported = new NativeEcdsaKey(key);
            kept = true;
            return imported;
        }
        finally
        {
            if (!kept) key.Dispose();
        }
    }

    /// <summary>A DER signature over <paramref name="digest"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest)
    {
        var added = false;
        _key.DangerousAddRef(ref added);
        try
        {
            Span<byte> signature = stackalloc byte[_maxSignature];
            uint length = (uint)_maxSignature;
            if (LibCrypto.ECDSA_sign(0, digest, digest.Length, signature, ref length, _key.DangerousGetHandle()) != 1)
                throw LibCrypto.Fail("ECDSA_sign");
            return signature[..(int)length].ToArray();
        }
        finally
        {
            if (added) _key.DangerousRelease();
        }
    }

    /// <summary>Whether <paramref name="signature"/> (DER) is this key's over <paramref name="digest"/>; malformed DER is false.</summary>
    public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        var added = false;
        _key.DangerousAddRef(ref added);
        try
        {
            // 1: valid; 0: a wrong signature; -1: it could not be checked (malformed DER among the causes). Only 1 is true.
            var result = LibCrypto.ECDSA_verify(0, digest, digest.Length, signature, signature.Length, _key.DangerousGetHandle());
            if (result != 1) LibCrypto.ERR_clear_error();
            return result == 1;
        }
        finally
        {
            if (added) _key.DangerousRelease();
        }
    }

    public void Dispose() => _key.Dispose();

    // .NET names an exported curve by OID or, on some platforms, only by friendly name.
    private static int CurveNid(ECCurve curve) => !curve.IsNamed ? 0 : (curve.Oid.Value, curve.Oid.FriendlyName) switch
    {
        (CurveOids.P256, _) or (_, "nistP256" or "ECDSA_P256" or "prime256v1") => LibCrypto.NidP256,
        (CurveOids.P384, _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => LibCrypto.NidP384,
        (CurveOids.P521, _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => LibCrypto.NidP521,
        _ => 0,
    };
}
