namespace Tessera.Wire;

/// <summary>
/// RFC 8879 §4 CompressedCertificate: a TLS 1.3 Certificate message (its body, without the handshake header)
/// compressed with an algorithm the receiver listed in compress_certificate, sent in the Certificate's place. The
/// transcript holds this message as sent, never the decompressed Certificate.
/// </summary>
internal sealed class CompressedCertificate
{
    public required CertificateCompressionAlgorithm Algorithm { get; init; }
    public required int UncompressedLength { get; init; }
    public required byte[] Compressed { get; init; }

    public static CompressedCertificate Decode(ReadOnlySpan<byte> body)
    {
        var compressed = Read(body, out var algorithm, out var length);
        return new CompressedCertificate { Algorithm = algorithm, UncompressedLength = length, Compressed = compressed.ToArray() };
    }

    /// <summary>Reads the message in place: the algorithm, the declared length, and the compressed bytes as a slice of <paramref name="body"/>.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> body, out CertificateCompressionAlgorithm algorithm, out int uncompressedLength)
    {
        var r = new TlsReader(body);
        algorithm = (CertificateCompressionAlgorithm)r.ReadUInt16();
        uncompressedLength = r.ReadUInt24();
        var compressed = r.ReadVector24();
        r.ExpectEnd("CompressedCertificate");
        // compressed_certificate_message<1..2^24-1>
        if (compressed.IsEmpty) throw TlsException.DecodeError("CompressedCertificate carries no compressed bytes");
        return compressed;
    }

    public HandshakeMessage Encode()
    {
        var body = Compressed;
        var length = UncompressedLength;
        var algorithm = Algorithm;
        return HandshakeMessage.Build(HandshakeType.CompressedCertificate, w =>
        {
            w.WriteUInt16((ushort)algorithm);
            w.WriteUInt24(length);
            w.WriteVector24(body);
        });
    }
}
