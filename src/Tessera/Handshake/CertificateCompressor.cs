using System.IO.Compression;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// Compresses and decompresses TLS 1.3 Certificate message bodies for RFC 8879 with .NET's own Brotli and zlib. The
/// receiver's bound is the declared uncompressed_length: nothing is written past it, it may not exceed the handshake
/// message cap (a decompression bomb costs the attacker, not the receiver), and output that is shorter or longer than
/// declared is <c>bad_certificate</c> (§4).
/// </summary>
internal static class CertificateCompressor
{
    /// <summary>What Tessera can compress and decompress, in its order of preference: Brotli (Chromium's), then zlib (Firefox's).</summary>
    public static readonly IReadOnlyList<CertificateCompressionAlgorithm> Supported = [CertificateCompressionAlgorithm.Brotli, CertificateCompressionAlgorithm.Zlib];

    public static bool IsSupported(CertificateCompressionAlgorithm algorithm) =>
        algorithm is CertificateCompressionAlgorithm.Brotli or CertificateCompressionAlgorithm.Zlib;

    /// <summary>The first of <paramref name="ours"/> (our preference) that the peer listed, or null.</summary>
    public static CertificateCompressionAlgorithm? Choose(IReadOnlyList<CertificateCompressionAlgorithm> ours, CodePointList theirs)
    {
        for (var i = 0; i < ours.Count; i++)
            if (IsSupported(ours[i]) && theirs.Contains((ushort)ours[i])) return ours[i];
        return null;
    }

    /// <summary>The CompressedCertificate message for a Certificate message (header included in <paramref name="certificate"/>).</summary>
    public static HandshakeMessage Compress(CertificateCompressionAlgorithm algorithm, HandshakeMessage certificate)
    {
        var body = certificate.Body;
        var compressed = algorithm switch
        {
            CertificateCompressionAlgorithm.Brotli => Brotli(body),
            CertificateCompressionAlgorithm.Zlib => Zlib(body),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Tessera does not compress with this algorithm"),
        };
        return new CompressedCertificate { Algorithm = algorithm, UncompressedLength = body.Length, Compressed = compressed }.Encode();
    }

    /// <summary>
    /// A received CompressedCertificate message's Certificate body (RFC 8879 §4), in a pooled buffer the caller disposes;
    /// what the compression saved is recorded on <paramref name="connection"/>. The caller has checked that it asked
    /// for compression at all (client: compress_certificate offered; server: listed in its CertificateRequest).
    /// </summary>
    public static Records.RentedBytes DecompressReceived(Connection.TlsConnection connection, Wire.HandshakeMessage message, IReadOnlyList<CertificateCompressionAlgorithm> offered, int maxLength)
    {
        var body = Decompress(message.Body, offered, maxLength, out var algorithm);
        connection.ReceivedCertificateCompression = new Connection.CertificateCompressionResult(
            algorithm, Wire.HandshakeMessage.HeaderLength + body.Length, message.Length);
        return body;
    }

    /// <summary>
    /// The Certificate message body inside a CompressedCertificate message body, after the checks RFC 8879 §4 asks
    /// for: an algorithm this side offered (else <c>illegal_parameter</c>), a declared length within
    /// <paramref name="maxLength"/>, and output of exactly that length (else <c>bad_certificate</c>). The body is read
    /// in place and decompressed into a pooled array the caller disposes once the certificates are decoded.
    /// </summary>
    public static Records.RentedBytes Decompress(ReadOnlySpan<byte> compressedCertificate, IReadOnlyList<CertificateCompressionAlgorithm> offered,
        int maxLength, out CertificateCompressionAlgorithm algorithm)
    {
        var compressed = CompressedCertificate.Read(compressedCertificate, out algorithm, out var length);
        if (!offered.Contains(algorithm) || !IsSupported(algorithm))
            throw TlsException.Illegal($"the peer compressed its certificate with {Name(algorithm)}, which was not offered");
        // The smallest Certificate body is a context length and an empty list's length: 4 bytes.
        if (length < 4) throw new TlsException(AlertDescription.BadCertificate, $"the CompressedCertificate declares {length} uncompressed bytes, too few for a Certificate message");
        if (length > maxLength)
            throw new TlsException(AlertDescription.BadCertificate,
                $"the CompressedCertificate declares {length} uncompressed bytes, over the {maxLength}-byte handshake message limit (a decompression bomb?)");
        var output = new Records.RentedBytes(length);
        try
        {
            var ok = algorithm == CertificateCompressionAlgorithm.Brotli
                ? BrotliDecoder.TryDecompress(compressed, output.Span, out var written) && written == length
                : InflateExactly(compressed, output.Span);
            if (!ok)
                throw new TlsException(AlertDescription.BadCertificate,
                    $"the {Name(algorithm)}-compressed certificate does not decompress to the {length} bytes it declares");
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    public static string Name(CertificateCompressionAlgorithm algorithm) => TlsNames.Of(algorithm);

    private static byte[] Brotli(ReadOnlySpan<byte> body)
    {
        // Quality 11 (the best) costs milliseconds once per credential, and the result is cached (TlsCredential).
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, buffer, out var written, quality: 11, window: 22))
            throw TlsException.Internal("Brotli could not compress the certificate");
        return buffer.AsSpan(0, written).ToArray();
    }

    private static byte[] Zlib(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(body);
        return output.ToArray();
    }

    /// <summary>Inflates into exactly <paramref name="output"/>: false when the stream is corrupt, ends early or has more.</summary>
    private static unsafe bool InflateExactly(ReadOnlySpan<byte> compressed, Span<byte> output)
    {
        try
        {
            // zlib is Firefox's choice and rarer: ZLibStream needs a stream, which reads the message in place.
            fixed (byte* bytes = compressed)
            {
                using var zlib = new ZLibStream(new UnmanagedMemoryStream(bytes, compressed.Length), CompressionMode.Decompress);
                var total = 0;
                while (total < output.Length)
                {
                    var n = zlib.Read(output[total..]);
                    if (n == 0) return false;
                    total += n;
                }
                Span<byte> extra = stackalloc byte[1];
                return zlib.Read(extra) == 0;
            }
        }
        catch (InvalidDataException)
        {
            return false;   // not a zlib stream: bad_certificate, as any undecodable compressed certificate
        }
    }
}
