using System.Security.Cryptography;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// After a TLS 1.2 handshake. Tessera never renegotiates (RFC 5746 made it safe, but it remains a source of
/// attacks and complexity). Either side refuses with a no_renegotiation warning and carries on, as RFC 5246 §7.2.2
/// allows: a client answers HelloRequest so, and a server answers a renegotiating ClientHello (secure or legacy) so,
/// whose client may then go on sending data under the existing keys (OpenSSL with renegotiation disabled and rustls do
/// the same). A client that asks again after being refused is not asking in good faith: the second ClientHello is a
/// fatal no_renegotiation (rustls bounds it the same way), so a peer cannot keep a server busy refusing.
/// Owns the master secret and the randoms the exporter needs (RFC 5705), the master secret zeroed on dispose.
/// </summary>
internal sealed class Connected12(TlsConnection connection, CipherSuiteInfo suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom)
    : IConnectedState
{
    private bool _refusedClientHello;

    public string Expecting => "connected";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        switch (message.Type)
        {
            case HandshakeType.HelloRequest when !connection.IsServer:
                if (!message.Body.IsEmpty) throw TlsException.DecodeError("HelloRequest must be empty");
                connection.SendWarningAlert(AlertDescription.NoRenegotiation);
                return this;
            case HandshakeType.ClientHello when connection.IsServer:
                if (_refusedClientHello)
                    throw new TlsException(AlertDescription.NoRenegotiation, "the client tried to renegotiate again after being refused; Tessera refuses renegotiation");
                // The hello is not read: nothing in it can change this connection, and it joins no transcript.
                _refusedClientHello = true;
                connection.SendWarningAlert(AlertDescription.NoRenegotiation);
                return this;
            default:
                throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} after the TLS 1.2 handshake completed");
        }
    }

    /// <summary>RFC 5705: an empty context means "no context" (§4), which is what protocols built on TLS 1.2 exporters expect.</summary>
    public byte[] Export(string label, ReadOnlySpan<byte> context, int length) =>
        Prf12.Export(suite.Hash, masterSecret, label, clientRandom, serverRandom, context, hasContext: !context.IsEmpty, length);

    public void Dispose() => CryptographicOperations.ZeroMemory(masterSecret);
}
