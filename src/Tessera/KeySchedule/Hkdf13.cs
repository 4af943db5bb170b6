using System.Security.Cryptography;
using System.Text;
using Tessera.Crypto;

namespace Tessera.KeySchedule;

/// <summary>
/// RFC 8446 §7.1 HKDF-Expand-Label and Derive-Secret, over a <see cref="CryptoProvider"/>'s HKDF (the process default
/// when none is given).
/// </summary>
internal static class Hkdf13
{
    public static byte[] Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, CryptoProvider? provider = null)
    {
        var prk = new byte[HashLength(hash)];
        (provider ?? CryptoProvider.Default).HkdfExtract(hash, salt, ikm, prk);
        return prk;
    }

    /// <summary>HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix.</summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length, CryptoProvider? provider = null)
    {
        var output = new byte[length];
        ExpandLabel(hash, secret, label, context, output, provider);
        return output;
    }

    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, Span<byte> output, CryptoProvider? provider = null)
    {
        // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
        Span<byte> info = stackalloc byte[2 + 1 + 6 + 255 + 1 + 255];
        var labelLength = 6 + Encoding.ASCII.GetByteCount(label);
        if (labelLength > 255 || context.Length > 255) throw new ArgumentException("HKDF label or context too long");
        info[0] = (byte)(output.Length >> 8);
        info[1] = (byte)output.Length;
        info[2] = (byte)labelLength;
        "tls13 "u8.CopyTo(info[3..]);
        Encoding.ASCII.GetBytes(label, info[9..]);
        var at = 3 + labelLength;
        info[at++] = (byte)context.Length;
        context.CopyTo(info[at..]);
        at += context.Length;
        (provider ?? CryptoProvider.Default).HkdfExpand(hash, secret, info[..at], output);
    }

    /// <summary>Derive-Secret(Secret, Label, Messages) given the transcript hash of Messages.</summary>
    public static byte[] DeriveSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash, CryptoProvider? provider = null) =>
        ExpandLabel(hash, secret, label, transcriptHash, HashLength(hash), provider);

    public static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 32;

    public static byte[] EmptyHash(HashAlgorithmName hash) => EmptyHashOf(hash).ToArray();

    /// <summary>Hash("") without an allocation: the key schedule asks for it at every stage of every handshake.</summary>
    internal static ReadOnlySpan<byte> EmptyHashOf(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? EmptySha384 : EmptySha256;

    private static readonly byte[] EmptySha256 = SHA256.HashData(ReadOnlySpan<byte>.Empty);
    private static readonly byte[] EmptySha384 = SHA384.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data) => hash == HashAlgorithmName.SHA384
        ? SHA384.HashData(data)
        : SHA256.HashData(data);
}
