using Tessera.Wire;
using Tessera.Diagnostics;

namespace Tessera.Handshake.Client13;

/// <summary>Waits for EncryptedExtensions (RFC 8446 §4.3.1): ALPN choice, SNI acknowledgement, record size limit.</summary>
internal sealed class ExpectEncryptedExtensions(ClientHandshake13 cx) : IHandshakeState
{
    public string Expecting => "waiting for EncryptedExtensions";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.EncryptedExtensions, Expecting);
        var ee = EncryptedExtensions.Decode(message.Body);
        foreach (var e in ee.Extensions)
        {
            // RFC 8446 §4.2: an extension the client did not offer is unsupported_extension; one that was
            // offered but has no place in EncryptedExtensions is illegal_parameter.
            if (!cx.Offered(e.Type))
                throw new TlsException(AlertDescription.UnsupportedExtension, $"EncryptedExtensions carries {ExtensionNames.Of(e.Type)}, which the client did not offer");
            switch (e.Type)
            {
                case ExtensionType.ServerName:
                    if (e.Body.Length != 0) throw TlsException.DecodeError("server_name in EncryptedExtensions must be empty");
                    break;
                case ExtensionType.SupportedGroups:
                    SupportedGroupsExtension.Read(e.Body); // the server's preferences, informational only
                    break;
                case ExtensionType.ApplicationLayerProtocolNegotiation:
                    var chosen = AlpnExtension.Read(e.Body);
                    // RFC 7301 §3.1: exactly one protocol, one the client offered.
                    if (chosen.Count != 1 || !cx.Options.ApplicationProtocols.Contains(chosen[0]))
                        throw TlsException.Illegal($"the server selected ALPN '{PeerText.List(chosen, ",")}', which the client did not offer");
                    cx.Connection.ApplicationProtocol = chosen[0];
                    break;
                case ExtensionType.RecordSizeLimit:
                    cx.Connection.SetPeerRecordSizeLimit(RecordSizeLimitExtension.Read(e.Body));
                    break;
                case ExtensionType.EarlyData:
                    TlsExtension.ExpectEmpty(e.Body, e.Type);
                    if (!cx.EarlyWriting || !cx.Resumed) throw TlsException.Illegal("the server accepted early data the client did not send on this PSK");
                    cx.Connection.EarlyDataAccepted = true;
                    break;
                default:
                    throw TlsException.Illegal($"EncryptedExtensions carries {ExtensionNames.Of(e.Type)}, which does not belong there");
            }
        }
        if (cx.EarlyWriting && cx.Connection.EarlyDataAccepted != true) cx.Connection.NoteEarlyDataRejected();
        cx.Transcript.Add(message);
        // RFC 8446 §2.2: a PSK handshake authenticates through the PSK; no Certificate or CertificateVerify follow.
        return cx.Resumed ? new ExpectFinished(cx) : new ExpectCertificateOrRequest(cx);
    }
}
