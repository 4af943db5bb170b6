using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>
/// `Tessera.Fuzz --make-seeds DIR`: starting inputs for every target from in-memory Tessera handshakes (TLS 1.3 and
/// 1.2, mutual TLS, HelloRetryRequest), so each target starts from valid structure: each side's whole byte stream for
/// the connection targets, every plaintext handshake message and every ClientHello/ServerHello extension for the
/// decoder targets, the fuzz chain for the certificate target, its PEM for the PEM target. Real peers' flights are
/// added by fuzz/record-seeds.sh. Deterministic apart from ECDSA signatures and key generation.
/// </summary>
internal static class SeedMaker
{
    public static int Make(string directory)
    {
        var count = 0;
        void Write(string target, string name, byte[] bytes)
        {
            var folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
            count++;
        }

        var flights = new List<(string Name, byte[] FromClient, byte[] FromServer)>
        {
            Handshake("tls13", ProtocolVersion.Tls13, hrr: false),
            Handshake("tls13-hrr", ProtocolVersion.Tls13, hrr: true),
            Handshake("tls12", ProtocolVersion.Tls12, hrr: false),
        };
        foreach (var (name, fromClient, fromServer) in flights)
        {
            // The connection targets' first byte sets the piece size: 63 gives whole flights in one call.
            Write("server", $"tessera-{name}", [63, .. fromClient]);
            Write("client", $"tessera-{name}", [63, .. fromServer]);
            foreach (var message in PlaintextMessages(fromClient).Concat(PlaintextMessages(fromServer)))
            {
                if (HandshakeSelector(message.Type, fromServerSide: false) is { } selector)
                    Write("handshake", $"tessera-{name}-{HandshakeNames.Of(message.Type)}-{count}", [selector, .. message.Body]);
                if (message.Type == HandshakeType.ClientHello)
                    foreach (var e in ClientHello.Decode(message.Body).Extensions) WriteExtension(e, $"{name}-ch");
                if (message.Type == HandshakeType.ServerHello)
                    foreach (var e in ServerHello.Decode(message.Body).Extensions) WriteExtension(e, $"{name}-sh");
            }
        }

        foreach (var toServer in new[] { true, false })
            foreach (var (name, input) in ProtectedSeeds(toServer))
            {
                Write(toServer ? "server-protected" : "client-protected", name, input);
            }
        foreach (var (selector, body) in ProtectedMessages())
            Write("handshake", $"tessera-tls13-protected-{HandshakeNames.Of((HandshakeType)body[0])}-{count}", [selector, .. body.AsSpan(4)]);

        var chain = new List<byte>();
        foreach (var der in new[] { FuzzCredential.Server.Chain[0].RawData, FuzzCredential.Root.RawData })
            chain.AddRange([(byte)(der.Length >> 8), (byte)der.Length, .. der]);
        Write("certificate", "tessera-chain", [.. chain]);
        Write("certificate", "tessera-root", [(byte)(FuzzCredential.Root.RawData.Length >> 8), (byte)FuzzCredential.Root.RawData.Length, .. FuzzCredential.Root.RawData]);

        var keyPem = FuzzCredential.ServerKeyPem;
        var certPem = FuzzCredential.Server.Leaf.ExportCertificatePem();
        Write("pem", "tessera-key", [0, .. System.Text.Encoding.Latin1.GetBytes(keyPem)]);
        Write("pem", "tessera-credential", [1, .. System.Text.Encoding.Latin1.GetBytes(certPem + "\0" + keyPem)]);
        Write("pem", "tessera-crl", [2, .. System.Text.Encoding.Latin1.GetBytes("-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n")]);
        Write("revocation", "minimal-crl", [0, 0x30, 0x00]);
        Write("revocation", "minimal-ocsp", [1, 0x30, 0x03, 0x0a, 0x01, 0x00]);
        Console.WriteLine($"{count} seeds in {directory}");
        return 0;

        void WriteExtension(TlsExtension e, string where)
        {
            if (ExtensionSelector(e.Type, where.EndsWith("-sh", StringComparison.Ordinal)) is { } selector)
                Write("extensions", $"tessera-{where}-{ExtensionNames.Of(e.Type)}", [selector, .. e.Body]);
        }
    }

    /// <summary>`--client-hello FILE`: the fuzz client's first flight, which record-seeds.sh sends to real servers.</summary>
    public static int WriteClientHello(string path)
    {
        using var client = ConnectionTarget.CreateClient();
        File.WriteAllBytes(path, client.PendingOutput.ToArray());
        return 0;
    }

    /// <summary>
    /// Seeds for a protected-session target: each protected record the sender sends, as an edit that replaces it with
    /// itself (so afl-fuzz starts from every real message), all of them in one input, and records inserted where
    /// the handshake has just completed: a KeyUpdate asking for one back, a warning alert, an empty data record,
    /// change_cipher_spec, and handshake messages that have no business there.
    /// </summary>
    private static IEnumerable<(string Name, byte[] Input)> ProtectedSeeds(bool toServer)
    {
        var seen = new List<(ContentType Type, byte[] Plaintext)>();
        FuzzSession.Run(toServer, [], seen);
        var all = new List<byte>();
        var afterFinished = 0;
        for (var i = 0; i < seen.Count; i++)
        {
            var (type, plaintext) = seen[i];
            var edit = new RecordEdit(i, RecordEditKind.Replace, plaintext).Encode();
            all.AddRange(edit);
            var what = type == ContentType.Handshake ? HandshakeNames.Of((HandshakeType)plaintext[0]) : type.ToString();
            yield return ($"tessera-{i:00}-{what}", edit);
            if (type == ContentType.Handshake && HandshakeMessages.In(plaintext).Exists(m => m.Type == HandshakeType.Finished)) afterFinished = i + 1;
        }
        yield return ("tessera-all", [.. all]);
        var inserts = new (string Name, ContentType Type, byte[] Plaintext)[]
        {
            ("keyupdate-requested", ContentType.Handshake, [24, 0, 0, 1, 1]),
            ("alert-user-canceled", ContentType.Alert, [1, 90]),
            ("empty-data", ContentType.ApplicationData, []),
            ("change-cipher-spec", ContentType.ChangeCipherSpec, [1]),
            ("end-of-early-data", ContentType.Handshake, [5, 0, 0, 0]),
            ("certificate-request", ContentType.Handshake, [13, 0, 0, 11, 1, 7, 0, 7, 0, 13, 0, 3, 0, 2, 4, 3]),
            ("finished-again", ContentType.Handshake, [20, 0, 0, 32, .. new byte[32]]),
        };
        foreach (var (name, type, plaintext) in inserts)
            yield return ($"insert-{name}", RecordEdit.Insert(afterFinished, type, plaintext).Encode());
    }

    /// <summary>The TLS 1.3 protected handshake messages of one session, with the <see cref="HandshakeMessageTarget"/> selector for each.</summary>
    private static IEnumerable<(byte Selector, byte[] Message)> ProtectedMessages()
    {
        var seen = new List<(ContentType Type, byte[] Plaintext)>();
        FuzzSession.Run(rewriteToServer: false, [], seen);
        FuzzSession.Run(rewriteToServer: true, [], seen);
        foreach (var (type, plaintext) in seen)
        {
            if (type != ContentType.Handshake) continue;
            foreach (var message in HandshakeMessages.In(plaintext))
            {
                byte? selector = message.Type switch
                {
                    HandshakeType.EncryptedExtensions => 2,
                    HandshakeType.Certificate => 3,
                    HandshakeType.CertificateRequest => 5,
                    HandshakeType.CertificateVerify => 7,
                    HandshakeType.NewSessionTicket => 8,
                    HandshakeType.Finished => 9,
                    HandshakeType.KeyUpdate => 10,
                    _ => null,
                };
                if (selector is { } s) yield return (s, message.Raw);
            }
        }
    }

    /// <summary>Both sides' bytes of one handshake and a byte of data each way, pumped in memory.</summary>
    private static (string, byte[], byte[]) Handshake(string name, ProtocolVersion version, bool hrr)
    {
        var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(FuzzCredential.Root), Random = new FixedEntropy(), TimeProvider = new FixedClock(),
            SessionStore = null, ClientCertificate = FuzzCredential.Client, MaxVersion = version,
            KeyShareGroups = hrr ? [NamedGroup.X25519] : null,
        }, "localhost");
        var server = TlsConnection.CreateServer(new TlsServerOptions
        {
            Certificates = [FuzzCredential.Server], Random = new FixedEntropy(), TimeProvider = new FixedClock(),
            ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = TrustStore.FromCertificates(FuzzCredential.Root),
            HelloRetryForPreferredGroup = hrr,
        });
        using (client)
        using (server)
        {
            var fromClient = new List<byte>();
            var fromServer = new List<byte>();
            for (var round = 0; round < 10 && !(client.IsHandshakeComplete && server.IsHandshakeComplete); round++)
            {
                Move(client, server, fromClient);
                Move(server, client, fromServer);
            }
            client.Write([1]);
            server.Write([2]);
            Move(client, server, fromClient);
            Move(server, client, fromServer);
            return (name, [.. fromClient], [.. fromServer]);
        }
    }

    private static void Move(TlsConnection from, TlsConnection to, List<byte> record)
    {
        var bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        record.AddRange(bytes);
        if (bytes.Length > 0) to.ReceiveTls(bytes);
    }

    /// <summary>The handshake messages in the plaintext records at the start of a stream (until the first encrypted record).</summary>
    private static List<HandshakeMessage> PlaintextMessages(byte[] stream)
    {
        var payload = new List<byte>();
        for (var at = 0; at + 5 <= stream.Length;)
        {
            var type = stream[at];
            var length = stream[at + 3] << 8 | stream[at + 4];
            if (at + 5 + length > stream.Length) break;
            if (type == 20) break;   // ChangeCipherSpec: what follows is encrypted
            if (type == 22) payload.AddRange(stream.AsSpan(at + 5, length).ToArray());
            at += 5 + length;
        }
        return HandshakeMessages.In(payload.ToArray());
    }

    /// <summary>The <see cref="HandshakeMessageTarget"/> selector for a message type (TLS 1.2's Certificate, CertificateRequest and key exchanges included).</summary>
    private static byte? HandshakeSelector(HandshakeType type, bool fromServerSide) => type switch
    {
        HandshakeType.ClientHello => 0,
        HandshakeType.ServerHello => 1,
        HandshakeType.Certificate => 4,
        HandshakeType.CertificateRequest => 6,
        HandshakeType.CertificateVerify => 7,
        HandshakeType.ServerKeyExchange => 12,
        HandshakeType.ClientKeyExchange => 13,
        _ => null,
    };

    /// <summary>The <see cref="ExtensionTarget"/> selector for an extension as it appears in a ClientHello or ServerHello.</summary>
    private static byte? ExtensionSelector(ExtensionType type, bool serverHello) => type switch
    {
        ExtensionType.ServerName => 0,
        ExtensionType.SupportedGroups => 1,
        ExtensionType.SignatureAlgorithms or ExtensionType.SignatureAlgorithmsCert => 2,
        ExtensionType.KeyShare => serverHello ? (byte)4 : (byte)3,
        ExtensionType.SupportedVersions => serverHello ? (byte)7 : (byte)6,
        ExtensionType.Cookie => 8,
        ExtensionType.PskKeyExchangeModes => 9,
        ExtensionType.PreSharedKey => serverHello ? (byte)11 : (byte)10,
        ExtensionType.EcPointFormats => 14,
        ExtensionType.ApplicationLayerProtocolNegotiation => 16,
        ExtensionType.RecordSizeLimit => 17,
        ExtensionType.StatusRequest => 18,
        _ => null,
    };
}
