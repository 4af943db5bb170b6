using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>Waits for CertificateRequest (the server wants mutual TLS) or ServerHelloDone.</summary>
internal sealed class ExpectCertificateRequestOrDone(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for CertificateRequest or ServerHelloDone";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        if (message.Type == HandshakeType.CertificateRequest)
        {
            cx.CertificateRequest = CertificateRequest12.Decode(message.Body);
            cx.Transcript.Add(message);
            return new ExpectServerHelloDone(cx);
        }
        return new ExpectServerHelloDone(cx).Handle(message);
    }
}
