using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Handshake.Client13;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>
/// After a TLS 1.3 handshake: KeyUpdate in both directions (RFC 8446 §4.6.3), NewSessionTicket for clients (§4.6.1);
/// anything else is unexpected. Owns the application traffic secrets (ratcheted in place), the exporter master secret
/// and the resumption master secret, in one block zeroed when the connection is disposed.
/// </summary>
internal sealed class Connected13(TlsConnection connection, CipherSuiteInfo suite, ApplicationSecrets13 secrets) : IConnectedState
{
    public string Expecting => "connected";

    private Span<byte> ReadSecret => connection.IsServer ? secrets.Client : secrets.Server;
    private Span<byte> WriteSecret => connection.IsServer ? secrets.Server : secrets.Client;

    public IHandshakeState Handle(HandshakeMessage message)
    {
        switch (message.Type)
        {
            case HandshakeType.KeyUpdate:
                OnPeerKeyUpdate(KeyUpdate.Decode(message.Body).UpdateRequested);
                return this;
            case HandshakeType.NewSessionTicket when !connection.IsServer:
                OnNewSessionTicket(NewSessionTicketView.Read(message.Body));
                return this;
            default:
                // Post-handshake client authentication is never offered, so CertificateRequest lands here too.
                throw TlsException.Unexpected($"received {HandshakeNames.Of(message.Type)} after the handshake completed");
        }
    }

    /// <summary>Sends KeyUpdate and moves to the next write key (RFC 8446 §4.6.3); optionally asks the peer to do the same.</summary>
    public void UpdateWriteKey(bool requestPeer)
    {
        connection.SendHandshake(new KeyUpdate { UpdateRequested = requestPeer }.Encode());
        connection.FlushHandshake();
        KeySchedule13.NextTrafficSecret(suite.Hash, WriteSecret, connection.CryptoProvider);
        connection.SetWriteKeys(suite, WriteSecret, "next application keys");
    }

    public byte[] Export(string label, ReadOnlySpan<byte> context, int length) =>
        KeySchedule13.Export(suite.Hash, secrets.Exporter, label, context, length, connection.CryptoProvider);

    internal ReadOnlySpan<byte> ResumptionSecretForTests => secrets.Resumption;

    private void OnPeerKeyUpdate(bool updateRequested)
    {
        KeySchedule13.NextTrafficSecret(suite.Hash, ReadSecret, connection.CryptoProvider);
        connection.SetReadKeys(suite, ReadSecret, "the peer's next application keys");
        // RFC 8446 §4.6.3: answer update_requested with update_not_requested before the next data.
        if (updateRequested && !connection.IsClosed) UpdateWriteKey(requestPeer: false);
    }

    /// <summary>RFC 8446 §4.6.1: keeps the ticket with the PSK it stands for, if the client has a session store.</summary>
    private void OnNewSessionTicket(NewSessionTicketView ticket)
    {
        if (connection.Options is not TlsClientOptions { SessionStore: { } store } client || connection.ServerName is not { } serverName || ticket.LifetimeSeconds == 0) return;
        // A session shares the chain's DER arrays; nothing is loaded or copied for a chain nobody inspected.
        var certificates = PeerCertificateChain.RawDataOf(connection.PeerCertificates);
        store.Add(ClientHandshake13.SessionKey(serverName, client.ApplicationProtocols), new Resumption.ClientSession
        {
            ServerName = serverName,
            Suite = suite.Suite,
            Ticket = ticket.Ticket.ToArray(),   // the one copy: the view's ticket is a slice of the pooled message
            Psk = KeySchedule13.ResumptionPsk(suite.Hash, secrets.Resumption, ticket.Nonce, connection.CryptoProvider),
            ReceivedAt = connection.Now,
            LifetimeSeconds = ticket.LifetimeSeconds,
            AgeAdd = ticket.AgeAdd,
            MaxEarlyData = ticket.MaxEarlyData,
            ApplicationProtocol = connection.ApplicationProtocol,
            PeerCertificates = certificates,
        });
    }

    public void Dispose() => secrets.Dispose();
}
