using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>
/// A certificate that crossed the connection compressed (RFC 8879): the algorithm and the Certificate message's size
/// as it would have been and as it was sent (handshake headers included), so the bytes saved can be shown.
/// </summary>
/// <param name="Algorithm">The compression algorithm.</param>
/// <param name="UncompressedLength">The Certificate message's length, header included.</param>
/// <param name="CompressedLength">The CompressedCertificate message's length, header included.</param>
public sealed record CertificateCompressionResult(CertificateCompressionAlgorithm Algorithm, int UncompressedLength, int CompressedLength)
{
    /// <summary>Bytes the compression saved on the wire (negative if it cost bytes).</summary>
    public int BytesSaved => UncompressedLength - CompressedLength;

    /// <summary>"brotli, 3412 bytes → 2290 bytes (1122 bytes saved)".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{TlsNames.Of(Algorithm)}, {UncompressedLength} bytes → {CompressedLength} bytes ({BytesSaved} bytes saved)");
}
