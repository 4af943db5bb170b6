using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>After the handshake: KeyUpdate in both directions, NewSessionTicket for clients; anything else is unexpected.</summary>
internal sealed class Connected13(TlsConnection connection) : IHandshakeState
{
    public string Expecting => "connected";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        switch (message.Type)
        {
            case HandshakeType.KeyUpdate:
                connection.OnPeerKeyUpdate(KeyUpdate.Decode(message.Body).UpdateRequested);
                return this;
            case HandshakeType.NewSessionTicket when !connection.IsServer:
                connection.OnNewSessionTicket(NewSessionTicket.Decode(message.Body));
                return this;
            default:
                // Post-handshake client authentication is never offered, so CertificateRequest lands here too.
                throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} after the handshake completed");
        }
    }
}
