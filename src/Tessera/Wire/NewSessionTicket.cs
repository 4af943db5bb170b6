namespace Tessera.Wire;

/// <summary>RFC 8446 §4.6.1 NewSessionTicket.</summary>
internal sealed class NewSessionTicket
{
    public required uint LifetimeSeconds { get; init; }
    public required uint AgeAdd { get; init; }
    public required byte[] Nonce { get; init; }
    public required byte[] Ticket { get; init; }
    public required List<TlsExtension> Extensions { get; init; }

    public static NewSessionTicket Decode(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var lifetime = r.ReadUInt32();
        var ageAdd = r.ReadUInt32();
        var nonce = r.ReadVector8().ToArray();
        var ticket = r.ReadVector16().ToArray();
        if (ticket.Length == 0) throw TlsException.DecodeError("NewSessionTicket with empty ticket");
        if (r.Remaining < 2) throw TlsException.DecodeError("NewSessionTicket without extensions");
        var ext = TlsExtension.ReadBlock(ref r, "NewSessionTicket");
        r.ExpectEnd("NewSessionTicket");
        // RFC 8446 §4.6.1: lifetime MUST NOT exceed 7 days.
        if (lifetime > 604800) throw TlsException.Illegal($"NewSessionTicket lifetime {lifetime}s exceeds 7 days");
        return new NewSessionTicket { LifetimeSeconds = lifetime, AgeAdd = ageAdd, Nonce = nonce, Ticket = ticket, Extensions = ext };
    }

    public HandshakeMessage Encode() => HandshakeMessage.Build(HandshakeType.NewSessionTicket, w =>
    {
        w.WriteUInt32(LifetimeSeconds);
        w.WriteUInt32(AgeAdd);
        w.WriteVector8(Nonce);
        w.WriteVector16(Ticket);
        TlsExtension.WriteBlock(w, Extensions);
    });
}
