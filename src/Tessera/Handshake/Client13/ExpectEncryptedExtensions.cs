using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Handshake.Client13;

/// <summary>Waits for EncryptedExtensions (RFC 8446 §4.3.1): ALPN choice, SNI acknowledgement, record size limit.</summary>
internal sealed class ExpectEncryptedExtensions(ClientHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for EncryptedExtensions";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.EncryptedExtensions, Expecting);
        // Read in place: each extension is a slice of the message, and nothing is kept but what it decides.
        var r = new TlsReader(message.Body);
        if (r.Remaining < 2) throw TlsException.DecodeError("EncryptedExtensions too short");
        Span<ulong> seen = stackalloc ulong[ExtensionBlockReader.SeenWords];
        var extensions = new ExtensionBlockReader(r.ReadNested16(), seen, "EncryptedExtensions");
        r.ExpectEnd("EncryptedExtensions");
        while (extensions.TryRead(out var type, out var body))
        {
            // RFC 8446 §4.2: an extension the client did not offer is unsupported_extension; one that was
            // offered but has no place in EncryptedExtensions is illegal_parameter.
            if (!cx.Offered(type))
                throw new TlsException(AlertDescription.UnsupportedExtension, $"EncryptedExtensions carries {ExtensionNames.Of(type)}, which the client did not offer");
            switch (type)
            {
                case ExtensionType.ServerName:
                    if (body.Length != 0) throw TlsException.DecodeError("server_name in EncryptedExtensions must be empty");
                    break;
                case ExtensionType.SupportedGroups:
                    SupportedGroupsExtension.ReadInPlace(body); // the server's preferences, informational only
                    break;
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    // RFC 7301 §3.1: exactly one protocol, one the client offered; the connection keeps the offered string.
                    cx.Connection.ApplicationProtocol = AlpnExtension.ReadSelection(body, cx.Options.ApplicationProtocols);
                    break;
                case ExtensionType.RecordSizeLimit:
                    cx.Connection.SetPeerRecordSizeLimit(RecordSizeLimitExtension.Read(body));
                    break;
                case ExtensionType.EarlyData:
                    TlsExtension.ExpectEmpty(body, type);
                    if (!cx.EarlyWriting || !cx.Resumed) throw TlsException.Illegal("the server accepted early data the client did not send on this PSK");
                    cx.Connection.EarlyDataAccepted = true;
                    break;
                default:
                    throw TlsException.Illegal($"EncryptedExtensions carries {ExtensionNames.Of(type)}, which does not belong there");
            }
        }
        if (cx.EarlyWriting && cx.Connection.EarlyDataAccepted != true) cx.Connection.NoteEarlyDataRejected();
        cx.Transcript.Add(message);
        // RFC 8446 §2.2: a PSK handshake authenticates through the PSK; no Certificate or CertificateVerify follow.
        return cx.Resumed ? new ExpectFinished(cx, keys) : new ExpectCertificateOrRequest(cx, keys);
    }
}
