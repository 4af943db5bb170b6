using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>Waits for ServerHello, or a HelloRetryRequest (answered once, RFC 8446 §4.1.4).</summary>
internal sealed class ExpectServerHello(ClientHandshake13 cx) : IHandshakeState
{
    public string Expecting => "waiting for ServerHello";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.ServerHello, Expecting);
        var sh = ServerHelloView.Read(message.Body);
        var hrr = sh.IsHelloRetryRequest;
        var what = hrr ? "HelloRetryRequest" : "ServerHello";

        if (!sh.TryFind(ExtensionType.SupportedVersions, out var versionBody))
        {
            // RFC 8446 §4.1.3: a server that negotiates TLS 1.2 or below answers with legacy_version alone.
            if (hrr) throw TlsException.Illegal("HelloRetryRequest without supported_versions");
            if (sh.LegacyVersion == (ushort)ProtocolVersion.Tls12 && cx.Options.Tls12Enabled && cx.RetrySuite is null)
                return Client12.ClientHandshake12.OnServerHello(cx, message, ServerHello.Decode(message.Body));
            throw new TlsException(AlertDescription.ProtocolVersion,
                $"the server chose {TlsNames.OfVersion(sh.LegacyVersion)}; this client accepts {EnabledVersions()}");
        }
        // RFC 8446 Appendix D.5: legacy_version SSL 3.0 or lower in a hello is protocol_version, as on the server.
        if (sh.LegacyVersion <= (ushort)ProtocolVersion.Ssl30)
            throw new TlsException(AlertDescription.ProtocolVersion, $"the {what}'s legacy_version is {TlsNames.OfVersion(sh.LegacyVersion)}");
        var version = SupportedVersionsExtension.ReadServerHello(versionBody);
        if (version != (ushort)ProtocolVersion.Tls13 || !cx.Options.Tls13Enabled)
            throw TlsException.Illegal($"the server selected {TlsNames.OfVersion(version)} in supported_versions, which the client did not offer");
        if (!sh.LegacySessionIdEcho.SequenceEqual(cx.SessionId))
            throw TlsException.Illegal($"{what} legacy_session_id_echo does not match the ClientHello's session ID");
        if (sh.LegacyCompressionMethod != 0)
            throw TlsException.Illegal($"{what} selected compression method {sh.LegacyCompressionMethod}");
        var suite = CipherSuiteInfo.Find(sh.CipherSuite, ProtocolVersion.Tls13);
        if (suite is null || !cx.Options.CipherSuites.Contains(suite.Suite))
            throw TlsException.Illegal($"the server selected cipher suite {TlsNames.Of((CipherSuite)sh.CipherSuite)}, which the client did not offer");
        if (cx.RetrySuite is not null && cx.RetrySuite != suite)
            throw TlsException.Illegal($"the server selected {suite.Name} after asking for a retry with {cx.RetrySuite.Name}");

        return hrr ? HandleRetry(message, sh, suite) : HandleServerHello(message, sh, suite);
    }

    private string EnabledVersions() => (cx.Options.Tls13Enabled, cx.Options.Tls12Enabled) switch
    {
        (true, true) => "TLS 1.3 and TLS 1.2",
        (true, false) => "TLS 1.3 only",
        _ => "TLS 1.2 only",
    };

    private IHandshakeState HandleRetry(HandshakeMessage message, ServerHelloView hrr, CipherSuiteInfo suite)
    {
        if (cx.RetrySuite is not null) throw TlsException.Unexpected("the server sent a second HelloRetryRequest");
        NamedGroup? group = null;
        byte[]? cookie = null;
        var extensions = hrr.Extensions;
        while (extensions.TryRead(out var type, out var body))
        {
            switch (type)
            {
                case ExtensionType.SupportedVersions:
                    break;
                case ExtensionType.KeyShare:
                    group = KeyShareExtension.ReadHelloRetryRequest(body);
                    break;
                case ExtensionType.Cookie:
                    cookie = CookieExtension.Read(body);
                    break;
                default:
                    throw new TlsException(AlertDescription.UnsupportedExtension,
                        $"HelloRetryRequest carries {ExtensionNames.Of(type)}, which the client did not offer for it");
            }
        }
        if (group is null && cookie is null)
            throw TlsException.Illegal("HelloRetryRequest asks for no change to the ClientHello");
        if (group is { } g)
        {
            if (!cx.Options.Groups.Contains(g))
                throw TlsException.Illegal($"HelloRetryRequest asks for group {TlsNames.Of(g)}, which the client did not offer");
            foreach (var s in cx.Shares)
                if (s.Group == g) throw TlsException.Illegal($"HelloRetryRequest asks for group {TlsNames.Of(g)}, for which the client already sent a key share");
            foreach (var s in cx.Shares) s.Dispose();
            cx.Shares.Clear();
            cx.Shares.Add(cx.Connection.CryptoProvider.GenerateKeyExchange(g, cx.Options.Random));
            cx.RetryGroup = g;
        }
        cx.RetrySuite = suite;
        cx.Cookie = cookie;
        if (cx.EarlyWriting)
        {
            // RFC 8446 §4.1.2: a HelloRetryRequest rejects the early data; the second ClientHello goes in plaintext, without it.
            cx.EarlyWriting = false;
            cx.Connection.ClearWriteKeys();
        }
        cx.Connection.HelloRetryRequested = true;

        // RFC 8446 §4.4.1: ClientHello1 becomes message_hash, then the HelloRetryRequest follows.
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.ReplaceWithMessageHash();
        cx.Transcript.Add(message);

        cx.Connection.SetPlaintextRecordVersion(0x0303);
        if (cx.Options.MiddleboxCompatibility && !cx.ChangeCipherSpecSent)
        {
            cx.Connection.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }
        cx.SendClientHello();
        return this;
    }

    private IHandshakeState HandleServerHello(HandshakeMessage message, ServerHelloView sh, CipherSuiteInfo suite)
    {
        NamedGroup? shareGroup = null;
        ReadOnlySpan<byte> shareKey = default;
        var pskAccepted = false;
        var extensions = sh.Extensions;
        while (extensions.TryRead(out var type, out var body))
        {
            if (!cx.Offered(type))
                throw new TlsException(AlertDescription.UnsupportedExtension, $"ServerHello carries {ExtensionNames.Of(type)}, which the client did not offer");
            switch (type)
            {
                case ExtensionType.SupportedVersions:
                    break;
                case ExtensionType.KeyShare:
                    shareGroup = KeyShareExtension.ReadServerHello(body, out shareKey);
                    break;
                case ExtensionType.PreSharedKey:
                    // RFC 8446 §4.2.11: the identity must be one we offered, and the suite's hash the PSK's.
                    if (PreSharedKeyExtension.ReadServerHello(body) != 0 || cx.Session is null)
                        throw TlsException.Illegal("the server selected a PSK identity the client did not offer");
                    if (CipherSuiteInfo.Get(cx.Session.Suite).Hash != suite.Hash)
                        throw TlsException.Illegal($"the server resumed with {suite.Name}, whose hash differs from the ticket's suite");
                    pskAccepted = true;
                    break;
                default:
                    throw TlsException.Illegal($"ServerHello carries {ExtensionNames.Of(type)}, which does not belong in a ServerHello");
            }
        }
        if (shareGroup is not { } group)
            throw new TlsException(AlertDescription.MissingExtension, "ServerHello has no key_share (Tessera offers no PSK-only mode)");
        if (cx.RetryGroup is { } asked && group != asked)
            throw TlsException.Illegal($"the server answered with group {TlsNames.Of(group)} after asking for {TlsNames.Of(asked)}");
        KeyExchange? mine = null;
        foreach (var s in cx.Shares)
            if (s.Group == group) mine = s;
        if (mine is null)
            throw TlsException.Illegal($"the server chose group {TlsNames.Of(group)}, for which the client sent no key share");

        var shared = mine.DeriveSharedSecret(shareKey);
        cx.Transcript.SetAlgorithm(suite.Hash);
        cx.Transcript.Add(message);
        var keys = cx.Keys = new HandshakeKeys13(suite, pskAccepted ? cx.TakeEarlySchedule(suite) : new KeySchedule13(suite, provider: cx.Connection.CryptoProvider));
        keys.Schedule.AdvanceToHandshake(shared);
        if (pskAccepted)
        {
            cx.Resumed = true;
            cx.Connection.WasResumed = true;
            cx.Connection.PeerCertificates = new PeerCertificateChain(cx.Session!.PeerCertificates);
        }
        CryptographicOperations.ZeroMemory(shared);

        keys.DeriveHandshakeSecrets(cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]));
        var conn = cx.Connection;
        conn.LogSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", keys.ClientHandshakeSecret);
        conn.LogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET", keys.ServerHandshakeSecret);
        conn.Negotiated(ProtocolVersion.Tls13, suite, group);
        conn.SetReadKeys(suite, keys.ServerHandshakeSecret, "server handshake keys");
        // While early data may still be flowing, the client keeps its early write keys until EndOfEarlyData.
        if (!cx.EarlyWriting) conn.SetWriteKeys(suite, keys.ClientHandshakeSecret, "client handshake keys");
        foreach (var s in cx.Shares) s.Dispose();
        cx.Shares.Clear();
        return new ExpectEncryptedExtensions(cx, keys);
    }
}
