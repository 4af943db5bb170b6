using System.Text;

namespace Tessera.Wire;

/// <summary>
/// Reads and writes the bodies of the extensions Tessera understands. Lengths are checked by
/// <see cref="TlsReader"/>; semantic checks that are purely about the encoding live here too.
/// </summary>
public static class ExtensionCodec
{
    // ---- server_name (RFC 6066 §3) ----

    /// <summary>server_name (RFC 6066 §3): one host_name entry.</summary>
    public static byte[] WriteServerName(string host)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
        {
            w.WriteUInt8(0); // host_name
            w.WriteVector16(Encoding.ASCII.GetBytes(host));
        }
        return w.ToArrayAndRelease();
    }

    /// <summary>Returns the host_name, or null for an empty body (the server's acknowledgement).</summary>
    public static string? ReadServerName(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("server_name");
        if (list.IsEmpty) throw TlsException.DecodeError("server_name list is empty");
        string? host = null;
        while (!list.IsEmpty)
        {
            var type = list.ReadUInt8();
            var name = list.ReadVector16();
            if (type != 0) continue; // unknown name types are skipped
            // RFC 6066 §3: the list MUST NOT contain more than one name of the same name_type.
            if (host != null) throw TlsException.Illegal("server_name lists two host names");
            if (name.IsEmpty) throw TlsException.DecodeError("empty host_name in server_name");
            foreach (var b in name)
                if (b < 0x21 || b > 0x7e) throw TlsException.Illegal("host_name in server_name is not printable ASCII");
            host = Encoding.ASCII.GetString(name);
            if (host.EndsWith('.')) throw TlsException.Illegal("host_name in server_name ends with a dot");
        }
        return host;
    }

    // ---- supported_groups (RFC 8446 §4.2.7) ----

    internal static byte[] WriteNamedGroups(IEnumerable<NamedGroup> groups)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
            foreach (var g in groups) w.WriteUInt16((ushort)g);
        return w.ToArrayAndRelease();
    }

    internal static List<NamedGroup> ReadNamedGroups(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("supported_groups");
        if (list.IsEmpty || list.Remaining % 2 != 0) throw TlsException.DecodeError("supported_groups must be a non-empty list of 2-byte values");
        var result = new List<NamedGroup>(list.Remaining / 2);
        while (!list.IsEmpty) result.Add((NamedGroup)list.ReadUInt16());
        return result;
    }

    // ---- signature_algorithms, signature_algorithms_cert (RFC 8446 §4.2.3) ----

    internal static byte[] WriteSignatureSchemes(IEnumerable<SignatureScheme> schemes)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
            foreach (var s in schemes) w.WriteUInt16((ushort)s);
        return w.ToArrayAndRelease();
    }

    internal static List<SignatureScheme> ReadSignatureSchemes(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector16();
        r.ExpectEnd("signature_algorithms");
        return ReadSignatureSchemesList(list);
    }

    // ---- key_share (RFC 8446 §4.2.8) ----

    /// <summary>key_share in a ClientHello (RFC 8446 §4.2.8): the client's shares, in order.</summary>
    public static byte[] WriteKeyShareClientHello(IReadOnlyList<KeyShareEntry> entries)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
            for (var i = 0; i < entries.Count; i++) WriteKeyShareEntry(w, entries[i]);
        return w.ToArrayAndRelease();
    }

    internal static byte[] WriteKeyShareServerHello(KeyShareEntry entry)
    {
        var w = new TlsWriter();
        WriteKeyShareEntry(w, entry);
        return w.ToArrayAndRelease();
    }

    internal static byte[] WriteKeyShareHelloRetryRequest(NamedGroup group)
    {
        var w = new TlsWriter();
        w.WriteUInt16((ushort)group);
        return w.ToArrayAndRelease();
    }

    private static void WriteKeyShareEntry(TlsWriter w, KeyShareEntry e)
    {
        w.WriteUInt16((ushort)e.Group);
        w.WriteVector16(e.KeyExchange);
    }

    internal static List<KeyShareEntry> ReadKeyShareClientHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("key_share");
        var result = new List<KeyShareEntry>();
        while (!list.IsEmpty)
        {
            var entry = ReadKeyShareEntry(ref list);
            // RFC 8446 §4.2.8: clients MUST NOT offer multiple KeyShareEntry values for the same group.
            foreach (var seen in result)
                if (seen.Group == entry.Group) throw TlsException.Illegal($"key_share offers group {TlsNames.Of(entry.Group)} twice");
            result.Add(entry);
        }
        return result;
    }

    internal static KeyShareEntry ReadKeyShareServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var e = ReadKeyShareEntry(ref r);
        r.ExpectEnd("key_share");
        return e;
    }

    internal static NamedGroup ReadKeyShareHelloRetryRequest(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var g = (NamedGroup)r.ReadUInt16();
        r.ExpectEnd("key_share");
        return g;
    }

    private static KeyShareEntry ReadKeyShareEntry(ref TlsReader r)
    {
        var group = (NamedGroup)r.ReadUInt16();
        var key = r.ReadVector16();
        if (key.IsEmpty) throw TlsException.DecodeError("key_share entry with empty key_exchange");
        return new KeyShareEntry(group, key.ToArray());
    }

    // ---- supported_versions (RFC 8446 §4.2.1) ----

    /// <summary>supported_versions in a ClientHello (RFC 8446 §4.2.1): the offered versions, most preferred first.</summary>
    public static byte[] WriteSupportedVersionsClientHello(IEnumerable<ushort> versions)
    {
        var w = new TlsWriter();
        using (w.BeginVector(1))
            foreach (var v in versions) w.WriteUInt16(v);
        return w.ToArrayAndRelease();
    }

    internal static byte[] WriteSupportedVersionServerHello(ushort version)
    {
        var w = new TlsWriter();
        w.WriteUInt16(version);
        return w.ToArrayAndRelease();
    }

    internal static List<ushort> ReadSupportedVersionsClientHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested8();
        r.ExpectEnd("supported_versions");
        if (list.Remaining < 2 || list.Remaining % 2 != 0) throw TlsException.DecodeError("supported_versions must be a non-empty list of 2-byte values");
        var result = new List<ushort>(list.Remaining / 2);
        while (!list.IsEmpty) result.Add(list.ReadUInt16());
        return result;
    }

    internal static ushort ReadSupportedVersionServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("supported_versions");
        return v;
    }

    // ---- cookie (RFC 8446 §4.2.2) ----

    internal static byte[] WriteCookie(ReadOnlySpan<byte> cookie)
    {
        var w = new TlsWriter();
        w.WriteVector16(cookie);
        return w.ToArrayAndRelease();
    }

    internal static byte[] ReadCookie(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var c = r.ReadVector16();
        r.ExpectEnd("cookie");
        if (c.IsEmpty) throw TlsException.DecodeError("empty cookie");
        return c.ToArray();
    }

    // ---- psk_key_exchange_modes (RFC 8446 §4.2.9) ----

    /// <summary>psk_key_exchange_modes (RFC 8446 §4.2.9): the modes (0 psk_ke, 1 psk_dhe_ke).</summary>
    public static byte[] WritePskKeyExchangeModes(IEnumerable<byte> modes)
    {
        var w = new TlsWriter();
        using (w.BeginVector(1))
            foreach (var m in modes) w.WriteUInt8(m);
        return w.ToArrayAndRelease();
    }

    internal static byte[] ReadPskKeyExchangeModes(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var m = r.ReadVector8();
        r.ExpectEnd("psk_key_exchange_modes");
        if (m.IsEmpty) throw TlsException.DecodeError("psk_key_exchange_modes is empty");
        return m.ToArray();
    }

    // ---- pre_shared_key (RFC 8446 §4.2.11) ----

    internal static OfferedPsks ReadPreSharedKeyClientHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var ids = r.ReadNested16();
        var identities = new List<PskIdentity>();
        while (!ids.IsEmpty)
        {
            var id = ids.ReadVector16();
            if (id.IsEmpty) throw TlsException.DecodeError("empty PSK identity");
            identities.Add(new PskIdentity(id.ToArray(), ids.ReadUInt32()));
        }
        var bindersLength = r.Remaining; // the binders vector, length prefix included, ends the ClientHello
        var bindersReader = r.ReadNested16();
        r.ExpectEnd("pre_shared_key");
        var binders = new List<byte[]>();
        while (!bindersReader.IsEmpty)
        {
            var b = bindersReader.ReadVector8();
            if (b.Length < 32) throw TlsException.DecodeError("PSK binder shorter than 32 bytes");
            binders.Add(b.ToArray());
        }
        if (identities.Count == 0) throw TlsException.DecodeError("pre_shared_key offers no identity");
        if (identities.Count != binders.Count) throw TlsException.Illegal("pre_shared_key has a different number of identities and binders");
        return new OfferedPsks(identities, binders, bindersLength);
    }

    /// <summary>One identity and a zeroed binder of <paramref name="binderLength"/> bytes, patched in once the truncated ClientHello is hashed.</summary>
    public static byte[] WritePreSharedKeyClientHello(ReadOnlySpan<byte> identity, uint obfuscatedAge, int binderLength)
    {
        var w = new TlsWriter(identity.Length + binderLength + 16);
        using (w.BeginVector(2))
        {
            w.WriteVector16(identity);
            w.WriteUInt32(obfuscatedAge);
        }
        using (w.BeginVector(2))
            w.WriteVector8(new byte[binderLength]);
        return w.ToArrayAndRelease();
    }

    internal static byte[] WritePreSharedKeyServerHello(ushort selected) => [(byte)(selected >> 8), (byte)selected];

    internal static ushort ReadPreSharedKeyServerHello(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("pre_shared_key");
        return v;
    }

    // ---- early_data (RFC 8446 §4.2.10) ----

    // ---- TLS 1.2 NewSessionTicket (RFC 5077 §3.3): ticket_lifetime_hint and the ticket ----

    internal static HandshakeMessage WriteNewSessionTicket12(uint lifetimeHint, ReadOnlySpan<byte> ticket)
    {
        var w = new TlsWriter(ticket.Length + 8);
        w.WriteUInt32(lifetimeHint);
        w.WriteVector16(ticket);
        return HandshakeMessage.Frame(HandshakeType.NewSessionTicket, w.WrittenSpan);
    }

    internal static (uint LifetimeHint, byte[] Ticket) ReadNewSessionTicket12(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var hint = r.ReadUInt32();
        var ticket = r.ReadVector16().ToArray();
        r.ExpectEnd("NewSessionTicket");
        return (hint, ticket);
    }

    internal static byte[] WriteEarlyDataNewSessionTicket(uint maxEarlyDataSize) =>
        [(byte)(maxEarlyDataSize >> 24), (byte)(maxEarlyDataSize >> 16), (byte)(maxEarlyDataSize >> 8), (byte)maxEarlyDataSize];

    internal static uint ReadEarlyDataNewSessionTicket(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt32();
        r.ExpectEnd("early_data");
        return v;
    }

    /// <summary>The body of a signature_algorithms list without its own length prefix (TLS 1.2 CertificateRequest).</summary>
    public static List<SignatureScheme> ReadSignatureSchemesList(ReadOnlySpan<byte> list)
    {
        if (list.IsEmpty || list.Length % 2 != 0) throw TlsException.DecodeError("a signature scheme list must be a non-empty list of 2-byte values");
        var r = new TlsReader(list);
        var result = new List<SignatureScheme>(list.Length / 2);
        while (!r.IsEmpty) result.Add((SignatureScheme)r.ReadUInt16());
        return result;
    }

    // ---- ec_point_formats (RFC 8422 §5.1.2): only uncompressed(0) exists in practice ----

    /// <summary>ec_point_formats (RFC 8422 §5.1.2): uncompressed only.</summary>
    public static byte[] WriteEcPointFormats() => [1, 0];

    /// <summary>Returns whether the list includes uncompressed(0), which RFC 8422 §5.1.2 makes mandatory.</summary>
    public static bool ReadEcPointFormats(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadVector8();
        r.ExpectEnd("ec_point_formats");
        if (list.IsEmpty) throw TlsException.DecodeError("ec_point_formats is empty");
        return list.IndexOf((byte)0) >= 0;
    }

    // ---- renegotiation_info (RFC 5746 §3.2): Tessera never renegotiates, so it is always empty ----

    /// <summary>renegotiation_info (RFC 5746 §3.2) for an initial handshake: an empty renegotiated_connection.</summary>
    public static byte[] WriteEmptyRenegotiationInfo() => [0];

    /// <summary>True when renegotiated_connection is empty, as it must be on an initial handshake (RFC 5746 §3.4, §3.6).</summary>
    public static bool IsEmptyRenegotiationInfo(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var inner = r.ReadVector8();
        r.ExpectEnd("renegotiation_info");
        return inner.IsEmpty;
    }

    internal static void ReadEmpty(ReadOnlySpan<byte> body, ExtensionType type)
    {
        if (!body.IsEmpty) throw TlsException.DecodeError($"{ExtensionNames.Of(type)} must be empty here");
    }

    // ---- application_layer_protocol_negotiation (RFC 7301 §3.1) ----

    internal static byte[] WriteAlpn(IEnumerable<string> protocols)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
            foreach (var p in protocols) w.WriteVector8(Encoding.Latin1.GetBytes(p));
        return w.ToArrayAndRelease();
    }

    /// <summary>ALPN names are opaque bytes; Latin-1 maps them one-to-one onto chars so nothing is lost.</summary>
    public static List<string> ReadAlpn(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("application_layer_protocol_negotiation");
        var result = new List<string>();
        while (!list.IsEmpty)
        {
            var p = list.ReadVector8();
            if (p.IsEmpty) throw TlsException.DecodeError("empty protocol name in ALPN");
            result.Add(Encoding.Latin1.GetString(p));
        }
        if (result.Count == 0) throw TlsException.DecodeError("ALPN list is empty");
        return result;
    }

    // ---- record_size_limit (RFC 8449 §4) ----

    /// <summary>record_size_limit (RFC 8449 §4): the largest record plaintext this side will accept.</summary>
    public static byte[] WriteRecordSizeLimit(ushort limit) => [(byte)(limit >> 8), (byte)limit];

    internal static ushort ReadRecordSizeLimit(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var v = r.ReadUInt16();
        r.ExpectEnd("record_size_limit");
        // RFC 8449 §4: a value less than 64 MUST be treated as a fatal illegal_parameter.
        if (v < 64) throw TlsException.Illegal($"record_size_limit {v} is below the minimum of 64");
        return v;
    }

    // ---- status_request (RFC 6066 §8) ----

    /// <summary>An OCSP status_request with no responder IDs and no request extensions.</summary>
    public static byte[] WriteStatusRequestOcsp() => [1, 0, 0, 0, 0];

    /// <summary>True when the request asks for OCSP (status_type 1); other types are ignored.</summary>
    public static bool ReadStatusRequest(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var type = r.ReadUInt8();
        if (type != 1) return false;
        r.ReadVector16();   // responder_id_list
        r.ReadVector16();   // request_extensions
        r.ExpectEnd("status_request");
        return true;
    }

    /// <summary>A TLS 1.3 CertificateEntry status_request extension: CertificateStatus with one OCSPResponse.</summary>
    public static byte[] ReadOcspResponseFromCertificateEntry(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var type = r.ReadUInt8();
        if (type != 1) throw TlsException.Illegal($"CertificateStatus type {type} is not OCSP");
        var resp = r.ReadVector24();
        r.ExpectEnd("CertificateStatus");
        if (resp.IsEmpty) throw TlsException.DecodeError("empty OCSP response");
        return resp.ToArray();
    }

    internal static byte[] WriteOcspResponseForCertificateEntry(ReadOnlySpan<byte> ocspResponse)
    {
        var w = new TlsWriter();
        w.WriteUInt8(1);
        w.WriteVector24(ocspResponse);
        return w.ToArrayAndRelease();
    }

    // ---- certificate_authorities (RFC 8446 §4.2.4) ----

    internal static byte[] WriteCertificateAuthorities(IEnumerable<byte[]> distinguishedNames)
    {
        var w = new TlsWriter();
        using (w.BeginVector(2))
            foreach (var dn in distinguishedNames) w.WriteVector16(dn);
        return w.ToArrayAndRelease();
    }

    internal static List<byte[]> ReadCertificateAuthorities(ReadOnlySpan<byte> body)
    {
        var r = new TlsReader(body);
        var list = r.ReadNested16();
        r.ExpectEnd("certificate_authorities");
        var result = new List<byte[]>();
        while (!list.IsEmpty)
        {
            var dn = list.ReadVector16();
            if (dn.IsEmpty) throw TlsException.DecodeError("empty distinguished name in certificate_authorities");
            result.Add(dn.ToArray());
        }
        if (result.Count == 0) throw TlsException.DecodeError("certificate_authorities is empty");
        return result;
    }
}
