using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>
/// After the server acknowledged status_request: an optional CertificateStatus (RFC 6066 §8) carrying the stapled
/// OCSP response, then the chain is verified with it. Without one, the next message is ServerKeyExchange.
/// </summary>
internal sealed class ExpectCertificateStatus(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for CertificateStatus or ServerKeyExchange";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        var chain = cx.PendingChain!;
        cx.PendingChain = null;
        if (message.Type != HandshakeType.CertificateStatus)
        {
            ExpectCertificate12.Verify(cx, chain, null);
            return new ExpectServerKeyExchange(cx).Handle(message);
        }
        var staple = StatusRequestExtension.ReadCertificateEntry(message.Body);
        ExpectCertificate12.Verify(cx, chain, staple);
        cx.Transcript.Add(message);
        return new ExpectServerKeyExchange(cx);
    }
}
