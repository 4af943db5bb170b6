using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// Seams for RFC 8448 vector tests only. RFC 8448's peers offered groups and signature schemes Tessera
/// refuses to offer (ffdhe, DSA, SHA-1) and extensions it does not send; these hooks let a test put those
/// bytes on the wire while every key share, cookie, secret and signature still comes from Tessera's code.
/// </summary>
internal sealed class HandshakeTestHooks
{
    public Func<ClientHello, ClientHello>? RewriteClientHello { get; init; }
    public Func<EncryptedExtensions, EncryptedExtensions>? RewriteEncryptedExtensions { get; init; }
    public Func<byte[]?>? HelloRetryRequestCookie { get; init; }
}
