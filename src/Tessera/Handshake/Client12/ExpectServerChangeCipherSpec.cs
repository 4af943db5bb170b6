using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>Waits for the server's ChangeCipherSpec, after which its records are protected.</summary>
internal sealed class ExpectServerChangeCipherSpec(ClientHandshake12 cx) : IExpectChangeCipherSpec
{
    public string Expecting => "waiting for the server's ChangeCipherSpec";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        // RFC 5077 §3.3: after acknowledging session_ticket, the server sends NewSessionTicket before ChangeCipherSpec.
        if (message.Type != HandshakeType.NewSessionTicket || !cx.TicketExpected || cx.NewTicket is not null)
            throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} before the server's ChangeCipherSpec");
        var (hint, ticket) = NewSessionTicket12.Decode(message.Body);
        cx.NewTicket = ticket;
        cx.NewTicketLifetime = hint;
        cx.Transcript.Add(message);
        return this;
    }

    public IHandshakeState OnChangeCipherSpec()
    {
        cx.Connection.SetReadKeys12(cx.Suite, cx.Keys!.ServerKey, cx.Keys.ServerIv, "server keys");
        return new ExpectServerFinished12(cx);
    }
}
