namespace Tessera.Wire;

/// <summary>TLS 1.2 NewSessionTicket (RFC 5077 §3.3): ticket_lifetime_hint and the ticket.</summary>
internal static class NewSessionTicket12
{
    public static HandshakeMessage Encode(uint lifetimeHint, ReadOnlySpan<byte> ticket)
    {
        var w = new TlsWriter(HandshakeMessage.HeaderLength + 6 + ticket.Length);
        w.WriteUInt8((byte)HandshakeType.NewSessionTicket);
        using (w.BeginVector(3))
        {
            w.WriteUInt32(lifetimeHint);
            w.WriteVector16(ticket);
        }
        return new HandshakeMessage(HandshakeType.NewSessionTicket, w.ToArrayAndRelease());
    }

    public static (uint LifetimeHint, byte[] Ticket) Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var hint = r.ReadUInt32();
        var ticket = r.ReadVector16().ToArray();
        r.ExpectEnd("NewSessionTicket");
        return (hint, ticket);
    }
}
