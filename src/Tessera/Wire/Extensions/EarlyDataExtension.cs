namespace Tessera.Wire;

/// <summary>
/// early_data (RFC 8446 §4.2.10): empty in a ClientHello and EncryptedExtensions; in a NewSessionTicket, the most
/// 0-RTT data the ticket allows.
/// </summary>
public static class EarlyDataExtension
{
    internal static void WriteNewSessionTicket(TlsWriter w, uint maxEarlyDataSize) => w.WriteUInt32(maxEarlyDataSize);

    /// <summary>max_early_data_size from a NewSessionTicket.</summary>
    public static uint ReadNewSessionTicket(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt32();
        r.ExpectEnd("early_data");
        return v;
    }
}
