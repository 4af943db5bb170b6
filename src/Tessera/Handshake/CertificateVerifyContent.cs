namespace Tessera.Handshake;

/// <summary>RFC 8446 §4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash.</summary>
internal static class CertificateVerifyContent
{
    public static byte[] Build(bool server, ReadOnlySpan<byte> transcriptHash)
    {
        ReadOnlySpan<byte> context = server ? "TLS 1.3, server CertificateVerify"u8 : "TLS 1.3, client CertificateVerify"u8;
        var content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        context.CopyTo(content.AsSpan(64));
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }
}
