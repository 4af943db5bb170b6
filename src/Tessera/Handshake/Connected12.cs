using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// After a TLS 1.2 handshake. Tessera never renegotiates (RFC 5746 made it safe, but it remains a source of
/// attacks and complexity): a client answers HelloRequest with a no_renegotiation warning and carries on;
/// a server refuses a renegotiating ClientHello with a fatal no_renegotiation.
/// </summary>
internal sealed class Connected12(TlsConnection connection) : IHandshakeState
{
    public string Expecting => "connected";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        switch (message.Type)
        {
            case HandshakeType.HelloRequest when !connection.IsServer:
                if (!message.Body.IsEmpty) throw TlsException.DecodeError("HelloRequest must be empty");
                connection.SendWarningAlert(AlertDescription.NoRenegotiation);
                return this;
            case HandshakeType.ClientHello when connection.IsServer:
                throw new TlsException(AlertDescription.NoRenegotiation, "the client tried to renegotiate; Tessera refuses renegotiation");
            default:
                throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} after the TLS 1.2 handshake completed");
        }
    }
}
