using System.Buffers;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Resumption;
using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>
/// A whole TLS 1.3 session between a Tessera client and a Tessera server in memory, with one direction passing
/// through a <see cref="RecordRewriter"/>: mutual authentication, two tickets, data both ways, a KeyUpdate the client
/// asks the server to answer, more data, close_notify both ways. That reaches every protected message (EncryptedExtensions,
/// Certificate, CertificateRequest, CertificateVerify, Finished, NewSessionTicket, KeyUpdate, alerts, data) with a real
/// handshake before it. Randomness and clock are fixed; only ECDSA signatures vary between runs, and no edit
/// depends on their bytes.
/// </summary>
internal static class FuzzSession
{
    /// <summary>Pump rounds per step: a session needs three; the bound keeps a confused pair from spinning.</summary>
    private const int Rounds = 8;

    /// <summary>Runs the session; says how each side ended, so tests can see that edits reach the receiver.</summary>
    public static FuzzSessionOutcome Run(bool rewriteToServer, IEnumerable<RecordEdit> edits, List<(ContentType, byte[])>? seen = null)
    {
        var secrets = new SecretCapture();
        using var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(SessionCredential.Root),
            // The session chain is Ed25519 (deterministic signatures keep the committed seeds' bytes fixed), which the
            // Baseline Requirements do not allow: a private PKI, judged by RFC 5280.
            CertificateProfile = VerificationProfile.Rfc5280,
            Random = new FixedEntropy(1),
            TimeProvider = new FixedClock(),
            SessionStore = new InMemoryClientSessionStore(),
            ClientCertificate = SessionCredential.Client,
            MinVersion = ProtocolVersion.Tls13,
            Groups = [NamedGroup.X25519],
            CipherSuites = [CipherSuite.TlsAes128GcmSha256],
            // The committed seeds' record indices and bytes were made with plain Certificate messages; compressed
            // certificates are fuzzed by the client and server targets, whose inputs reach the decompressor directly.
            CertificateCompression = [],
            KeyLog = secrets,
        }, "localhost");
        using var server = TlsConnection.CreateServer(new TlsServerOptions
        {
            Certificates = [SessionCredential.Server],
            Random = new FixedEntropy(128),
            TimeProvider = new FixedClock(),
            ClientCertificateMode = ClientCertificateMode.Required,
            ClientTrustStore = TrustStore.FromCertificates(SessionCredential.Root),
            MinVersion = ProtocolVersion.Tls13,
            Groups = [NamedGroup.X25519],
            CipherSuites = [CipherSuite.TlsAes128GcmSha256],
            CertificateCompression = [],
            KeyLog = secrets,
        });
        using var rewriter = new RecordRewriter(fromClient: rewriteToServer, secrets, edits, seen);
        var pair = new Pair(client, server, rewriter, rewriteToServer);

        pair.Pump();
        pair.Act(client, c => c.Write("GET / HTTP/1.1\r\n\r\n"u8));
        pair.Act(server, s => s.Write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"u8));
        pair.Act(client, c => c.RequestKeyUpdate(requestPeerUpdate: true));
        pair.Act(client, c => c.Write("after the update"u8));
        pair.Act(server, s => s.Write("after the update too"u8));
        pair.Act(client, c => c.Close());
        pair.Act(server, s => s.Close());
        return new FuzzSessionOutcome(Ending(client), Ending(server), client.ApplicationBytesReceived, server.ApplicationBytesReceived);
    }

    private static string Ending(TlsConnection c) =>
        c.Failure is { } failure ? failure.Alert.ToString() : c.IsHandshakeComplete && c.IsPeerClosed ? "closed" : "incomplete";

    private sealed class Pair(TlsConnection client, TlsConnection server, RecordRewriter rewriter, bool rewriteToServer)
    {
        private readonly ArrayBufferWriter<byte> _delivered = new();
        private readonly byte[] _plaintext = new byte[4096];

        /// <summary>Does one thing on a connection that is still up, then lets both sides answer each other.</summary>
        public void Act(TlsConnection connection, Action<TlsConnection> action)
        {
            if (!connection.IsHandshakeComplete || connection.IsClosed || connection.Failure is not null) return;
            try
            {
                action(connection);
            }
            catch (TlsException)
            {
                // The connection failed (its alert is in its output, which Pump delivers).
            }
            Pump();
        }

        public void Pump()
        {
            for (var round = 0; round < Rounds && (client.HasPendingOutput || server.HasPendingOutput); round++)
            {
                Move(client, server, rewriteToServer);
                Move(server, client, !rewriteToServer);
            }
        }

        private void Move(TlsConnection from, TlsConnection to, bool rewrite)
        {
            if (!from.HasPendingOutput) return;
            _delivered.Clear();
            if (rewrite) rewriter.Forward(from.PendingOutput, _delivered);
            else _delivered.Write(from.PendingOutput);
            from.ConsumeOutput(from.PendingOutput.Length);
            try
            {
                to.ReceiveTls(_delivered.WrittenSpan);
                while (to.AvailablePlaintext > 0 && to.Read(_plaintext) > 0) { }
            }
            catch (TlsException)
            {
                // The receiver refused what it got: the answer it wants the peer to see is its alert, delivered next round.
            }
        }
    }
}
