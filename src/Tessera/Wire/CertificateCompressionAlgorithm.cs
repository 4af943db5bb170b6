namespace Tessera.Wire;

/// <summary>Certificate compression algorithms (RFC 8879 §3, IANA TLS Certificate Compression Algorithm IDs).</summary>
public enum CertificateCompressionAlgorithm : ushort
{
    /// <summary>zlib (RFC 1950), as Firefox offers it.</summary>
    Zlib = 1,
    /// <summary>Brotli (RFC 7932), what Chromium offers.</summary>
    Brotli = 2,
    /// <summary>Zstandard (RFC 8478). Recognised on the wire; Tessera neither offers nor decompresses it (no maintained, AOT-clean .NET implementation it takes a dependency on).</summary>
    Zstd = 3,
}
