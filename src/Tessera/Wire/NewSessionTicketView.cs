namespace Tessera.Wire;

/// <summary>
/// A received NewSessionTicket (RFC 8446 §4.6.1) read in place: the nonce and the ticket are slices of the message (a
/// client keeps only the ticket, copied once into its session), and the extensions are walked once, for duplicates
/// and for early_data's max_early_data_size — the only extension defined for it; others are ignored, as §4.6.1 asks.
/// </summary>
internal readonly ref struct NewSessionTicketView
{
    public uint LifetimeSeconds { get; private init; }
    public uint AgeAdd { get; private init; }
    public ReadOnlySpan<byte> Nonce { get; private init; }
    public ReadOnlySpan<byte> Ticket { get; private init; }
    /// <summary>max_early_data_size from early_data; 0 when the ticket allows no early data.</summary>
    public uint MaxEarlyData { get; private init; }

    public static NewSessionTicketView Read(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var lifetime = r.ReadUInt32();
        var ageAdd = r.ReadUInt32();
        var nonce = r.ReadVector8();
        var ticket = r.ReadVector16();
        if (ticket.IsEmpty) throw TlsException.DecodeError("NewSessionTicket with empty ticket");
        if (r.Remaining < 2) throw TlsException.DecodeError("NewSessionTicket without extensions");
        uint maxEarly = 0;
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        var extensions = new ExtensionBlockReader(ExtensionBlockReader.Of(ref r), seen, "NewSessionTicket");
        while (extensions.TryRead(out var type, out var extension))
            if (type == ExtensionType.EarlyData) maxEarly = EarlyDataExtension.ReadNewSessionTicket(extension);
        r.ExpectEnd("NewSessionTicket");
        // RFC 8446 §4.6.1: lifetime MUST NOT exceed 7 days.
        if (lifetime > 604800) throw TlsException.Illegal($"NewSessionTicket lifetime {lifetime}s exceeds 7 days");
        return new NewSessionTicketView { LifetimeSeconds = lifetime, AgeAdd = ageAdd, Nonce = nonce, Ticket = ticket, MaxEarlyData = maxEarly };
    }
}
