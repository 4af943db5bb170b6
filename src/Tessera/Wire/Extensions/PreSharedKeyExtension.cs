namespace Tessera.Wire;

/// <summary>pre_shared_key (RFC 8446 §4.2.11): the client's identities and binders; the server's selected index.</summary>
public static class PreSharedKeyExtension
{
    /// <summary>
    /// One identity and a zeroed binder of <paramref name="binderLength"/> bytes, the last bytes of the ClientHello:
    /// the binder is patched in once the truncated hello is hashed (<see cref="BindersLength"/> says how much to cut).
    /// </summary>
    internal static void WriteClientHello(TlsWriter w, ReadOnlySpan<byte> identity, uint obfuscatedAge, int binderLength)
    {
        using (w.BeginVector(2))
        {
            w.WriteVector16(identity);
            w.WriteUInt32(obfuscatedAge);
        }
        using (w.BeginVector(2))
        {
            w.WriteUInt8((byte)binderLength);
            w.WriteZeros(binderLength);
        }
    }

    /// <summary>The bytes of the binders list of one binder (its 2-byte length, the binder's 1-byte length, the binder).</summary>
    internal static int BindersLength(int binderLength) => 2 + 1 + binderLength;

    internal static void WriteServerHello(TlsWriter w, ushort selected) => w.WriteUInt16(selected);

    /// <summary>The client's offer; identities and binders must pair up, binders at least 32 bytes.</summary>
    public static OfferedPsks ReadClientHello(ReadOnlySpan<byte> body)
    {
        // The checks are OfferedPskList's (one rule for the server's in-place reader and this copy).
        var offered = OfferedPskList.Read(body);
        var identities = new List<PskIdentity>(offered.Count);
        var binders = new List<byte[]>(offered.Count);
        foreach (var psk in offered)
        {
            identities.Add(new PskIdentity(psk.Identity.ToArray(), psk.ObfuscatedTicketAge));
            binders.Add(psk.Binder.ToArray());
        }
        return new OfferedPsks(identities, binders, offered.BindersLength);
    }

    /// <summary>The index of the identity the server accepted.</summary>
    public static ushort ReadServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("pre_shared_key");
        return v;
    }
}
