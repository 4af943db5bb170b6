namespace Tessera.Handshake;

/// <summary>RFC 8446 §4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash.</summary>
internal static class CertificateVerifyContent
{
    /// <summary>The longest content: both context strings are 33 bytes, and no TLS 1.3 suite's hash is longer than SHA-384's.</summary>
    public const int MaxLength = 64 + 33 + 1 + KeySchedule.Transcript.MaxHashLength;

    /// <summary>Writes the content into <paramref name="destination"/> (at least <see cref="MaxLength"/> long) and returns the written part.</summary>
    public static Span<byte> Build(bool server, ReadOnlySpan<byte> transcriptHash, Span<byte> destination)
    {
        ReadOnlySpan<byte> context = server ? "TLS 1.3, server CertificateVerify"u8 : "TLS 1.3, client CertificateVerify"u8;
        var length = 64 + context.Length + 1 + transcriptHash.Length;
        var content = destination[..length];
        content[..64].Fill(0x20);
        context.CopyTo(content[64..]);
        content[64 + context.Length] = 0;
        transcriptHash.CopyTo(content[(64 + context.Length + 1)..]);
        return content;
    }
}
