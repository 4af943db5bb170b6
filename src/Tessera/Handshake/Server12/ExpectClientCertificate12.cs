using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake.Server12;

/// <summary>Waits for the client's Certificate after a CertificateRequest (RFC 5246 §7.4.6).</summary>
internal sealed class ExpectClientCertificate12(ServerHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for the client's Certificate";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Certificate, Expecting);
        var cm = Certificate12.Decode(message.Body);
        cx.Transcript.Add(message);
        if (cm.Entries.Count == 0)
        {
            // RFC 5246 §7.4.6: an empty list; RFC 8446 names the alert for "required but absent" certificate_required.
            if (cx.Options.ClientCertificateMode == ClientCertificateMode.Required)
                throw TlsException.HandshakeFailure("the client sent no certificate, and this server requires one");
            return new ExpectClientKeyExchange(cx);
        }
        var chain = PeerCertificateChain.From(cm);
        cx.Connection.PeerCertificates = chain;
        cx.ClientVerifier().Verify(new CertificateVerificationRequest(chain, null, CertificatePurpose.ClientAuthentication, cx.Connection.Now));
        cx.ClientChain = chain;
        return new ExpectClientKeyExchange(cx);
    }
}
