using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Diagnostics;

/// <summary>Decodes handshake messages into the fields a trace shows. Never throws: a message that does not decode is shown as such.</summary>
internal static class HandshakeDescriber
{
    public static List<KeyValuePair<string, string>> Describe(HandshakeMessage message, ProtocolVersion? version)
    {
        var tls12 = version == ProtocolVersion.Tls12;
        var f = new List<KeyValuePair<string, string>>();
        try
        {
            switch (message.Type)
            {
                case HandshakeType.ClientHello:
                    DescribeClientHello(ClientHello.Decode(message.Body), f);
                    break;
                case HandshakeType.ServerHello:
                    DescribeServerHello(ServerHello.Decode(message.Body), f);
                    break;
                case HandshakeType.EncryptedExtensions:
                    DescribeExtensions(EncryptedExtensions.Decode(message.Body).Extensions, f);
                    break;
                case HandshakeType.CertificateRequest when tls12:
                    var cr12 = CertificateRequest12.Decode(message.Body);
                    f.Add(new("signature_algorithms", PeerText.List(cr12.SignatureSchemes, TlsNames.Of, " ")));
                    f.Add(new("certificate_authorities", cr12.CertificateAuthorities.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case HandshakeType.CertificateRequest:
                    DescribeExtensions(Wire.CertificateRequest.Decode(message.Body).Extensions, f);
                    break;
                case HandshakeType.Certificate:
                    DescribeCertificate(tls12 ? Certificate12.Decode(message.Body) : CertificateMessage.Decode(message.Body), f);
                    break;
                case HandshakeType.CompressedCertificate:
                    DescribeCompressedCertificate(message, f);
                    break;
                case HandshakeType.ServerKeyExchange:
                    var ske = ServerKeyExchangeEcdhe.Decode(message.Body);
                    f.Add(new("named_curve", TlsNames.Of(ske.Group)));
                    f.Add(new("public", $"{ske.PublicKey.Length} bytes"));
                    f.Add(new("scheme", TlsNames.Of(ske.Scheme)));
                    f.Add(new("signature", $"{ske.Signature.Length} bytes"));
                    break;
                case HandshakeType.CertificateStatus:
                    f.Add(new("ocsp_response", $"{StatusRequestExtension.ReadCertificateEntry(message.Body).Length} bytes"));
                    break;
                case HandshakeType.ClientKeyExchange:
                    f.Add(new("public", $"{ClientKeyExchangeEcdhe.Decode(message.Body).PublicKey.Length} bytes"));
                    break;
                case HandshakeType.CertificateVerify:
                    var cv = CertificateVerifyView.Read(message.Body);
                    f.Add(new("scheme", TlsNames.Of(cv.Scheme)));
                    f.Add(new("signature", $"{cv.Signature.Length} bytes"));
                    break;
                case HandshakeType.Finished:
                    f.Add(new("verify_data", Convert.ToHexStringLower(message.Body)));
                    break;
                case HandshakeType.NewSessionTicket when tls12:
                    var (hint, ticket12) = NewSessionTicket12.Decode(message.Body);
                    f.Add(new("lifetime_hint", $"{hint}s"));
                    f.Add(new("ticket", $"{TicketId(ticket12)} ({ticket12.Length} bytes)"));
                    break;
                case HandshakeType.NewSessionTicket:
                    var nst = NewSessionTicket.Decode(message.Body);
                    f.Add(new("lifetime", $"{nst.LifetimeSeconds}s"));
                    f.Add(new("ticket", $"{TicketId(nst.Ticket)} ({nst.Ticket.Length} bytes)"));
                    foreach (var e in nst.Extensions)
                        if (e.Type == ExtensionType.EarlyData) f.Add(new("max_early_data_size", EarlyDataExtension.ReadNewSessionTicket(e.Body).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case HandshakeType.KeyUpdate:
                    f.Add(new("request_update", KeyUpdate.Decode(message.Body).UpdateRequested ? "update_requested" : "update_not_requested"));
                    break;
            }
        }
        catch (TlsException e)
        {
            f.Add(new("undecodable", e.Message));
        }
        return f;
    }

    /// <summary>A short, non-secret handle for a ticket in traces: the first bytes of its SHA-256.</summary>
    private static string TicketId(ReadOnlySpan<byte> ticket) => Convert.ToHexStringLower(SHA256.HashData(ticket).AsSpan(0, 6));

    private static void DescribeClientHello(ClientHello ch, List<KeyValuePair<string, string>> f)
    {
        f.Add(new("random", Convert.ToHexStringLower(ch.Random)));
        if (ch.LegacySessionId.Length > 0) f.Add(new("session_id", $"{ch.LegacySessionId.Length} bytes"));
        f.Add(new("cipher_suites", PeerText.List(ch.CipherSuites, s => TlsNames.Of((CipherSuite)s), " ")));
        DescribeExtensions(ch.Extensions, f);
    }

    private static void DescribeServerHello(ServerHello sh, List<KeyValuePair<string, string>> f)
    {
        if (sh.IsHelloRetryRequest) f.Add(new("hello_retry_request", "yes"));
        else f.Add(new("random", Convert.ToHexStringLower(sh.Random)));
        if (sh.LegacyVersion != (ushort)ProtocolVersion.Tls12 || TlsExtension.Find(sh.Extensions, ExtensionType.SupportedVersions) is null)
            f.Add(new("version", TlsNames.OfVersion(sh.LegacyVersion)));
        f.Add(new("cipher_suite", TlsNames.Of((CipherSuite)sh.CipherSuite)));
        foreach (var e in sh.Extensions)
        {
            switch (e.Type)
            {
                case ExtensionType.SupportedVersions:
                    f.Add(new("selected_version", TlsNames.OfVersion(SupportedVersionsExtension.ReadServerHello(e.Body))));
                    break;
                case ExtensionType.KeyShare when sh.IsHelloRetryRequest:
                    f.Add(new("requested_group", TlsNames.Of(KeyShareExtension.ReadHelloRetryRequest(e.Body))));
                    break;
                case ExtensionType.KeyShare:
                    var ks = KeyShareExtension.ReadServerHello(e.Body);
                    f.Add(new("key_share", $"{TlsNames.Of(ks.Group)} ({ks.KeyExchange.Length} bytes)"));
                    break;
                case ExtensionType.Cookie:
                    f.Add(new("cookie", $"{e.Body.Length} bytes"));
                    break;
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    f.Add(new("application_layer_protocol_negotiation", PeerText.List(AlpnExtension.Read(e.Body), " ")));
                    break;
                case ExtensionType.PreSharedKey:
                    f.Add(new("pre_shared_key", $"identity {PreSharedKeyExtension.ReadServerHello(e.Body)} selected: resuming"));
                    break;
                default:
                    f.Add(new(ExtensionNames.Of(e.Type), $"{e.Body.Length} bytes"));
                    break;
            }
        }
    }

    private static void DescribeExtensions(List<TlsExtension> extensions, List<KeyValuePair<string, string>> f)
    {
        foreach (var e in extensions)
        {
            var name = ExtensionNames.Of(e.Type);
            string value;
            switch (e.Type)
            {
                case ExtensionType.ServerName:
                    value = ServerNameExtension.Read(e.Body) ?? "(acknowledged)";
                    break;
                case ExtensionType.SupportedGroups:
                    value = PeerText.List(SupportedGroupsExtension.Read(e.Body), TlsNames.Of, " ");
                    break;
                case ExtensionType.SignatureAlgorithms:
                case ExtensionType.SignatureAlgorithmsCert:
                    value = PeerText.List(SignatureAlgorithmsExtension.Read(e.Body), TlsNames.Of, " ");
                    break;
                case ExtensionType.KeyShare:
                    value = PeerText.List(KeyShareExtension.ReadClientHello(e.Body), k => TlsNames.Of(k.Group), " ");
                    break;
                case ExtensionType.SupportedVersions:
                    value = PeerText.List(SupportedVersionsExtension.ReadClientHello(e.Body), TlsNames.OfVersion, " ");
                    break;
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    value = PeerText.List(AlpnExtension.Read(e.Body), " ");
                    break;
                case ExtensionType.PskKeyExchangeModes:
                    value = PeerText.List(PskKeyExchangeModesExtension.Read(e.Body), m => m switch { 0 => "psk_ke", 1 => "psk_dhe_ke", _ => $"unknown({m})" }, " ");
                    break;
                case ExtensionType.RecordSizeLimit:
                    value = RecordSizeLimitExtension.Read(e.Body).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case ExtensionType.PreSharedKey:
                    var psks = PreSharedKeyExtension.ReadClientHello(e.Body);
                    value = PeerText.List(psks.Identities, i => $"ticket {TicketId(i.Identity)} ({i.Identity.Length} bytes)") + $", {psks.Binders.Count} binder(s)";
                    break;
                case ExtensionType.EarlyData:
                    value = e.Body.Length == 0 ? "yes" : $"max {EarlyDataExtension.ReadNewSessionTicket(e.Body)} bytes";
                    break;
                case ExtensionType.CompressCertificate:
                    value = PeerText.List(CompressCertificateExtension.Read(e.Body), Handshake.CertificateCompressor.Name, " ");
                    break;
                case ExtensionType.SessionTicket:
                    value = e.Body.Length == 0 ? "(empty: asks for a ticket)" : $"ticket {TicketId(e.Body)} ({e.Body.Length} bytes)";
                    break;
                default:
                    value = $"{e.Body.Length} bytes";
                    break;
            }
            f.Add(new(name, value));
        }
    }

    /// <summary>RFC 8879: the algorithm, both sizes and the saving, then the certificates inside (decompressed again, under the same bound).</summary>
    private static void DescribeCompressedCertificate(HandshakeMessage message, List<KeyValuePair<string, string>> f)
    {
        var cc = CompressedCertificate.Decode(message.Body);
        var uncompressed = HandshakeMessage.HeaderLength + cc.UncompressedLength;
        f.Add(new("algorithm", Handshake.CertificateCompressor.Name(cc.Algorithm)));
        f.Add(new("uncompressed_length", $"{cc.UncompressedLength} bytes"));
        f.Add(new("compressed", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{cc.Compressed.Length} bytes ({uncompressed - message.Length} bytes saved of {uncompressed} bytes)")));
        using var body = Handshake.CertificateCompressor.Decompress(message.Body, Handshake.CertificateCompressor.Supported, 256 * 1024, out _);
        DescribeCertificate(CertificateMessage.Decode(body.Span), f);
    }

    private static void DescribeCertificate(CertificateMessage cm, List<KeyValuePair<string, string>> f)
    {
        f.Add(new("certificates", cm.Entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (var i = 0; i < cm.Entries.Count; i++)
        {
            try
            {
                using var c = X509CertificateLoader.LoadCertificate(cm.Entries[i].CertData);
                f.Add(new($"[{i}]", $"{c.Subject} ({KeyDescription.Of(c)}, expires {c.NotAfter.ToUniversalTime():yyyy-MM-dd})"));
            }
            catch (CryptographicException)
            {
                f.Add(new($"[{i}]", $"unparseable certificate ({cm.Entries[i].CertData.Length} bytes)"));
            }
        }
    }
}
