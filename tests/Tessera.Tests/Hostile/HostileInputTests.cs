using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>
/// Malformed, oversized, duplicated, reordered and bit-flipped input. Every case must end in a
/// <see cref="TlsException"/> carrying the expected alert, with that alert queued for the peer: never
/// another exception type and never a hang (each case is a bounded, synchronous call).
/// </summary>
public sealed class HostileInputTests
{
    // ------------------------------------------------------------------ to the server

    public static TheoryData<string, AlertDescription> ServerCases() => new()
    {
        { "record over 2^14 bytes", AlertDescription.RecordOverflow },
        { "handshake message declares 16 MiB", AlertDescription.IllegalParameter },
        { "duplicated supported_versions", AlertDescription.IllegalParameter },
        { "extension length one too long", AlertDescription.DecodeError },
        { "extension block truncated", AlertDescription.DecodeError },
        { "key_share entry longer than extension", AlertDescription.DecodeError },
        { "pre_shared_key not last", AlertDescription.IllegalParameter },
        { "pre_shared_key with two binders for one identity", AlertDescription.IllegalParameter },
        { "pre_shared_key with an empty identity", AlertDescription.DecodeError },
        { "pre_shared_key with a binder of 31 bytes", AlertDescription.DecodeError },
        { "pre_shared_key with no identity", AlertDescription.DecodeError },
        { "Finished before ClientHello", AlertDescription.UnexpectedMessage },
        { "application data before handshake", AlertDescription.UnexpectedMessage },
        { "unknown record type", AlertDescription.UnexpectedMessage },
        { "ChangeCipherSpec before ClientHello", AlertDescription.UnexpectedMessage },
        { "empty handshake record", AlertDescription.UnexpectedMessage },
        { "plain HTTP", AlertDescription.UnexpectedMessage },
        { "SSL 2.0 hello", AlertDescription.ProtocolVersion },
        { "compression offered", AlertDescription.IllegalParameter },
        { "x25519 share of 31 bytes", AlertDescription.IllegalParameter },
        { "P-256 point not on the curve", AlertDescription.IllegalParameter },
        { "key share for a group not in supported_groups", AlertDescription.IllegalParameter },
        { "key share for one group twice", AlertDescription.IllegalParameter },
        { "key share for one group twice among forty", AlertDescription.IllegalParameter },
        { "one of forty key shares not in forty supported_groups", AlertDescription.IllegalParameter },
        { "empty ALPN protocol name", AlertDescription.DecodeError },
        { "odd-length signature_algorithms", AlertDescription.DecodeError },
        { "alert record of 3 bytes", AlertDescription.DecodeError },
        { "TLS 1.1 only", AlertDescription.ProtocolVersion },
        { "no common cipher suite", AlertDescription.HandshakeFailure },
        { "no signature_algorithms", AlertDescription.MissingExtension },
        { "session id of 33 bytes", AlertDescription.DecodeError },
        { "server_name with two host names", AlertDescription.IllegalParameter },
        { "trailing bytes after ClientHello", AlertDescription.DecodeError },
    };

    [Theory]
    [MemberData(nameof(ServerCases))]
    public void Server_Refuses(string name, AlertDescription expected)
    {
        var input = ServerInput(name);
        using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var e = Assert.Throws<TlsException>(() => server.ReceiveTls(input));
        Assert.Equal(expected, e.Alert);
        Assert.False(e.IsFromPeer);
        AssertAlertQueued(server, expected);
        // A failed connection stays failed.
        Assert.Same(e, Assert.Throws<TlsException>(() => server.ReceiveTls([22, 3, 3, 0, 1, 1])));
    }

    private static byte[] ServerInput(string name)
    {
        var hello = RealClientHello();
        switch (name)
        {
            case "record over 2^14 bytes": return [22, 3, 3, 0x40, 0x01, .. new byte[0x4001]];
            case "handshake message declares 16 MiB": return Record(22, [1, 0xff, 0xff, 0xff, 3, 3]);
            case "duplicated supported_versions": return HelloRecord(hello, h => h.Extensions.Add(h.Extensions.Single(e => e.Type == ExtensionType.SupportedVersions)));
            case "extension length one too long": return PatchFirstExtensionLength(hello, +1);
            case "extension block truncated": return PatchFirstExtensionLength(hello, +100, pastBlockEnd: true);
            case "key_share entry longer than extension":
                return HelloRecord(hello, h => Replace(h, ExtensionType.KeyShare, [0, 40, 0, 0x1d, 0, 36, .. new byte[32]]));
            case "pre_shared_key not last":
                return HelloRecord(hello, h => h.Extensions.Insert(0, new TlsExtension(ExtensionType.PreSharedKey, [0, 7, 0, 1, 1, 0, 0, 0, 0, 0, 33, 32, .. new byte[32]])));
            case "pre_shared_key with two binders for one identity":
                return HelloRecord(hello, h => h.Extensions.Add(new TlsExtension(ExtensionType.PreSharedKey, [0, 7, 0, 1, 1, 0, 0, 0, 0, 0, 66, 32, .. new byte[32], 32, .. new byte[32]])));
            case "pre_shared_key with an empty identity":
                return HelloRecord(hello, h => h.Extensions.Add(new TlsExtension(ExtensionType.PreSharedKey, [0, 6, 0, 0, 0, 0, 0, 0, 0, 33, 32, .. new byte[32]])));
            case "pre_shared_key with a binder of 31 bytes":
                return HelloRecord(hello, h => h.Extensions.Add(new TlsExtension(ExtensionType.PreSharedKey, [0, 7, 0, 1, 1, 0, 0, 0, 0, 0, 32, 31, .. new byte[31]])));
            case "pre_shared_key with no identity":
                return HelloRecord(hello, h => h.Extensions.Add(new TlsExtension(ExtensionType.PreSharedKey, [0, 0, 0, 33, 32, .. new byte[32]])));
            case "Finished before ClientHello": return Record(22, [20, 0, 0, 32, .. new byte[32]]);
            case "application data before handshake": return Record(23, [1, 2, 3]);
            case "unknown record type": return Record(99, [1, 2, 3]);
            case "ChangeCipherSpec before ClientHello": return Record(20, [1]);
            case "empty handshake record": return [22, 3, 3, 0, 0];
            case "plain HTTP": return "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n"u8.ToArray();
            case "SSL 2.0 hello": return [0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15];
            case "compression offered": return HelloRecord(hello, null, h => new ClientHello { Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites, LegacyCompressionMethods = [1, 0], Extensions = h.Extensions });
            case "x25519 share of 31 bytes":
                return HelloRecord(hello, h => Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody([new KeyShareEntry(NamedGroup.X25519, new byte[31])])));
            case "P-256 point not on the curve":
            {
                var bad = new byte[65];
                bad[0] = 4;
                bad[64] = 7;
                return HelloRecord(hello, h =>
                {
                    Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody([new KeyShareEntry(NamedGroup.Secp256r1, bad)]));
                    Replace(h, ExtensionType.SupportedGroups, SupportedGroupsExtension.Body([NamedGroup.Secp256r1]));
                });
            }
            case "key share for a group not in supported_groups":
                return HelloRecord(hello, h => Replace(h, ExtensionType.SupportedGroups, SupportedGroupsExtension.Body([NamedGroup.Secp256r1])));
            case "key share for one group twice":
                return HelloRecord(hello, h => Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody(
                    [new KeyShareEntry(NamedGroup.X25519, new byte[32]), new KeyShareEntry(NamedGroup.X25519, new byte[32])])));
            case "key share for one group twice among forty":
                // Past sixteen entries the duplicate check is a bitmap; the repeat is the last entry.
                return HelloRecord(hello, h => Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody(
                    [.. ManyGroups(39).Select(g => new KeyShareEntry(g, [1])), new KeyShareEntry(ManyGroups(39)[3], [1])])));
            case "one of forty key shares not in forty supported_groups":
                // Forty shares against forty groups is checked with a bitmap of the groups; the last share is unlisted.
                return HelloRecord(hello, h =>
                {
                    Replace(h, ExtensionType.SupportedGroups, SupportedGroupsExtension.Body([.. ManyGroups(39), NamedGroup.X25519]));
                    Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody(
                        [.. ManyGroups(39).Select(g => new KeyShareEntry(g, [1])), new KeyShareEntry(NamedGroup.Secp256r1, [1])]));
                });
            case "empty ALPN protocol name":
                return HelloRecord(hello, h => { h.Extensions.RemoveAll(e => e.Type == ExtensionType.ApplicationLayerProtocolNegotiation); h.Extensions.Insert(0, new(ExtensionType.ApplicationLayerProtocolNegotiation, [0, 4, 2, (byte)'h', (byte)'2', 0])); });
            case "odd-length signature_algorithms":
                return HelloRecord(hello, h => Replace(h, ExtensionType.SignatureAlgorithms, [0, 3, 4, 3, 8]));
            case "alert record of 3 bytes": return Record(21, [2, 40, 0]);
            case "TLS 1.1 only":
                return HelloRecord(hello, h => Replace(h, ExtensionType.SupportedVersions, SupportedVersionsExtension.ClientHelloBody(0x0302)));
            case "no common cipher suite":
                return HelloRecord(hello, null, h => new ClientHello { Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = [0x002f, 0xc02f], Extensions = h.Extensions });
            case "no signature_algorithms": return HelloRecord(hello, h => h.Extensions.RemoveAll(e => e.Type == ExtensionType.SignatureAlgorithms));
            case "session id of 33 bytes":
            {
                var raw = hello.Encode().Raw;
                // legacy_session_id length byte sits after type(1) length(3) version(2) random(32).
                raw[38] = 33;
                return Record(22, raw);
            }
            case "server_name with two host names":
                return HelloRecord(hello, h => Replace(h, ExtensionType.ServerName, [0, 13, 0, 0, 4, (byte)'a', (byte)'.', (byte)'t', (byte)'t', 0, 0, 3, (byte)'b', (byte)'.', (byte)'t']));
            case "trailing bytes after ClientHello":
            {
                var body = hello.Encode().Body.ToArray();
                return Record(22, HandshakeMessage.Frame(HandshakeType.ClientHello, [.. body, 0]).Raw);
            }
            default: throw new ArgumentException(name);
        }
    }

    /// <summary>Distinct group code points no implementation defines (0x7000 upwards), for long lists.</summary>
    private static NamedGroup[] ManyGroups(int count) => [.. Enumerable.Range(0x7000, count).Select(g => (NamedGroup)g)];

    // ------------------------------------------------------------------ to the client, inside the encrypted server flight

    public static TheoryData<string, AlertDescription> ClientCases() => new()
    {
        { "Certificate and CertificateVerify swapped", AlertDescription.UnexpectedMessage },
        { "EncryptedExtensions twice", AlertDescription.UnexpectedMessage },
        { "CertificateVerify dropped", AlertDescription.UnexpectedMessage },
        { "Finished one byte short", AlertDescription.DecodeError },
        { "Finished bit flipped", AlertDescription.DecryptError },
        { "signature bit flipped", AlertDescription.DecryptError },
        { "certificate entry length inflated", AlertDescription.DecodeError },
        { "empty Certificate", AlertDescription.DecodeError },
        { "Certificate declares 16 MiB", AlertDescription.IllegalParameter },
        { "key_share in EncryptedExtensions", AlertDescription.IllegalParameter },
        { "unoffered ALPN in EncryptedExtensions", AlertDescription.UnsupportedExtension },
        { "ServerHello inside the encrypted flight", AlertDescription.UnexpectedMessage },
        { "record bit flipped", AlertDescription.BadRecordMac },
        { "certificate that is not DER", AlertDescription.BadCertificate },
    };

    [Theory]
    [MemberData(nameof(ClientCases))]
    public void Client_Refuses(string name, AlertDescription expected)
    {
        // Plain Certificate messages: these cases edit it (CertificateCompressionTests has the compressed ones).
        using var captured = CapturedServerFlight.Capture(Pair.Client() with { CertificateCompression = [] }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var (client, server, flight) = (captured.Client, captured.Server, captured.Flight);
        byte[] Rewrite(Func<List<byte[]>, List<byte[]>> f) => captured.Rewrite(f);
        int At(List<byte[]> m, HandshakeType t) => FlightRewriter.IndexOf(m, t);

        var input = name switch
        {
            "Certificate and CertificateVerify swapped" => Rewrite(m => { var i = At(m, HandshakeType.Certificate); (m[i], m[i + 1]) = (m[i + 1], m[i]); return m; }),
            "EncryptedExtensions twice" => Rewrite(m => { m.Insert(1, m[0]); return m; }),
            "CertificateVerify dropped" => Rewrite(m => { m.RemoveAt(At(m, HandshakeType.CertificateVerify)); return m; }),
            "Finished one byte short" => Rewrite(m => { var i = At(m, HandshakeType.Finished); m[i] = HandshakeMessage.Frame(HandshakeType.Finished, m[i].AsSpan(4, 31)).Raw; return m; }),
            "Finished bit flipped" => Rewrite(m => { m[At(m, HandshakeType.Finished)][10] ^= 1; return m; }),
            "signature bit flipped" => Rewrite(m => { var cv = m[At(m, HandshakeType.CertificateVerify)]; cv[^3] ^= 0x10; return m; }),
            "certificate entry length inflated" => Rewrite(m => { var c = m[At(m, HandshakeType.Certificate)]; c[8] += 1; return m; }),
            "empty Certificate" => Rewrite(m => { m[At(m, HandshakeType.Certificate)] = new CertificateMessage { Entries = [] }.Encode().Raw; return m; }),
            "Certificate declares 16 MiB" => Rewrite(m => { var c = m[At(m, HandshakeType.Certificate)]; c[1] = 0xff; return m; }),
            "key_share in EncryptedExtensions" => Rewrite(m => { m[0] = new EncryptedExtensions { Extensions = [new(ExtensionType.KeyShare, [0, 0x1d, 0, 1, 1])] }.Encode().Raw; return m; }),
            "unoffered ALPN in EncryptedExtensions" => Rewrite(m => { m[0] = new EncryptedExtensions { Extensions = [new(ExtensionType.ApplicationLayerProtocolNegotiation, AlpnExtension.Body(["h2"]))] }.Encode().Raw; return m; }),
            "ServerHello inside the encrypted flight" => Rewrite(m => { m.Insert(0, m[0].ToArray()); m[0][0] = (byte)HandshakeType.ServerHello; return m; }),
            "record bit flipped" => FlipFirstProtectedRecordByte(flight),
            "certificate that is not DER" => Rewrite(m => { m[At(m, HandshakeType.Certificate)] = new CertificateMessage { Entries = [new CertificateEntry([0x30, 0x03, 1, 2, 3], [])] }.Encode().Raw; return m; }),
            _ => throw new ArgumentException(name),
        };
        var e = Assert.Throws<TlsException>(() => client.ReceiveTls(input));
        Assert.Equal(expected, e.Alert);
        Assert.False(client.IsHandshakeComplete);
        var alert = AssertAlertQueued(client, expected);
        // The server is told and fails with the same alert; it never delivers application data.
        var atServer = Assert.Throws<TlsException>(() => server.ReceiveTls(alert));
        Assert.Equal(expected, atServer.Alert);
        Assert.True(atServer.IsFromPeer);
        Assert.Equal(0, server.AvailablePlaintext);
    }

    /// <summary>RFC 7301 §3.1: the server's selection is exactly one of the protocols the client offered.</summary>
    [Theory]
    [InlineData("spdy/3", AlertDescription.IllegalParameter)]
    [InlineData("h2,http/1.1", AlertDescription.IllegalParameter)]
    [InlineData("H2", AlertDescription.IllegalParameter)]
    [InlineData("", AlertDescription.DecodeError)]
    public void Client_Refuses_An_ALPN_Selection_It_Did_Not_Offer(string selected, AlertDescription expected)
    {
        using var captured = CapturedServerFlight.Capture(Pair.Client() with { ApplicationProtocols = ["h2", "http/1.1"] },
            Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { ApplicationProtocols = ["h2"] });
        byte[] body = selected.Length == 0 ? [0, 0] : AlpnExtension.Body(selected.Split(','));
        var input = captured.Rewrite(m =>
        {
            m[0] = new EncryptedExtensions { Extensions = [new(ExtensionType.ApplicationLayerProtocolNegotiation, body)] }.Encode().Raw;
            return m;
        });
        var e = Assert.Throws<TlsException>(() => captured.Client.ReceiveTls(input));
        Assert.Equal(expected, e.Alert);
        Assert.Null(captured.Client.ApplicationProtocol);
    }

    [Fact]
    public void Client_Refuses_Bad_ServerHellos()
    {
        foreach (var (mutate, alert) in new (Func<ServerHello, ServerHello>, AlertDescription)[]
        {
            (sh => Copy(sh, suite: 0x1305), AlertDescription.IllegalParameter),
            (sh => Copy(sh, sessionId: new byte[32]), AlertDescription.IllegalParameter),
            (sh => Copy(sh, extensions: sh.Extensions.Where(e => e.Type != ExtensionType.KeyShare).ToList()), AlertDescription.MissingExtension),
            (sh => Copy(sh, extensions: [.. sh.Extensions, new(ExtensionType.ApplicationLayerProtocolNegotiation, AlpnExtension.Body(["h2"]))]), AlertDescription.UnsupportedExtension),
            (sh => Copy(sh, extensions: [.. sh.Extensions, new(ExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Body([SignatureScheme.Ed25519]))]), AlertDescription.IllegalParameter),
            // Without supported_versions it reads as a TLS 1.2 ServerHello, whose TLS 1.3 suite the client never offered for 1.2.
            (sh => Copy(sh, extensions: sh.Extensions.Where(e => e.Type != ExtensionType.SupportedVersions).ToList()), AlertDescription.IllegalParameter),
            (sh => Copy(sh, compression: 1), AlertDescription.IllegalParameter),
        })
        {
            using var client = TlsConnection.CreateClient(Pair.Client(), "example.test");
            using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
            Pump.Move(client, server, true);
            var flight = Pump.Drain(server);
            var shLength = (flight[3] << 8) | flight[4];
            var sh = ServerHello.Decode(flight.AsSpan(9, shLength - 4));
            var e = Assert.Throws<TlsException>(() => client.ReceiveTls(Record(22, mutate(sh).Encode().Raw)));
            Assert.Equal(alert, e.Alert);
        }
    }

    [Fact]
    public void Client_Refuses_A_Second_HelloRetryRequest()
    {
        using var client = TlsConnection.CreateClient(Pair.Client(), "example.test");
        Pump.Drain(client);
        var hrr = new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom.ToArray(),
            LegacySessionIdEcho = [],
            CipherSuite = 0x1301,
            Extensions = [new(ExtensionType.SupportedVersions, [3, 4]), new(ExtensionType.KeyShare, [0, 0x17])],
        };
        // The client's session ID is random (compatibility mode), so echo what it sent.
        using var probe = TlsConnection.CreateClient(Pair.Client() with { MiddleboxCompatibility = false }, "example.test");
        Pump.Drain(probe);
        probe.ReceiveTls(Record(22, hrr.Encode().Raw));
        Pump.Drain(probe);
        var again = new ServerHello { Random = hrr.Random, CipherSuite = 0x1301, Extensions = [new(ExtensionType.SupportedVersions, [3, 4]), new(ExtensionType.KeyShare, [0, 0x18])] };
        var e = Assert.Throws<TlsException>(() => probe.ReceiveTls(Record(22, again.Encode().Raw)));
        Assert.Equal(AlertDescription.UnexpectedMessage, e.Alert);
    }

    [Fact]
    public void Server_Refuses_Altered_Client_Finished()
    {
        var keyLog = new CapturingKeyLog();
        using var client = TlsConnection.CreateClient(Pair.Client() with { KeyLog = keyLog, MiddleboxCompatibility = false }, "example.test");
        using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        Pump.Move(client, server, true);
        Pump.Move(server, client, false);
        var finished = Pump.Drain(client);
        var suite = CipherSuiteInfo.Get(client.CipherSuite!.Value);
        var altered = FlightRewriter.Rewrite(finished, suite, keyLog.Secrets["CLIENT_HANDSHAKE_TRAFFIC_SECRET"], m => { m[0][5] ^= 0x80; return m; });
        var e = Assert.Throws<TlsException>(() => server.ReceiveTls(altered));
        Assert.Equal(AlertDescription.DecryptError, e.Alert);
        Assert.False(server.IsHandshakeComplete);
    }

    /// <summary>Every single-bit flip of the ClientHello ends in success or a TlsException, never anything else.</summary>
    [Fact]
    public void Every_Bit_Flip_In_ClientHello_Is_Handled()
    {
        var record = Record(22, RealClientHello().Encode().Raw);
        var failures = 0;
        for (var i = 0; i < record.Length; i++)
        {
            var copy = record.ToArray();
            copy[i] ^= (byte)(1 << (i % 8));
            using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
            try
            {
                server.ReceiveTls(copy);
            }
            catch (TlsException)
            {
                failures++;
            }
        }
        Assert.True(failures > 0);
    }

    /// <summary>Random bytes after a valid ClientHello prefix: only TlsException, never a hang.</summary>
    [Fact]
    public void Random_Garbage_Is_Handled()
    {
        var rng = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var garbage = new byte[rng.Next(3, 300)];
            rng.NextBytes(garbage);
            if (i % 2 == 0) { garbage[0] = 22; garbage[1] = 3; garbage[2] = 3; }
            using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
            try { server.ReceiveTls(garbage); }
            catch (TlsException) { }
            using var client = TlsConnection.CreateClient(Pair.Client(), "example.test");
            try { client.ReceiveTls(garbage); }
            catch (TlsException) { }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] AssertAlertQueued(TlsConnection connection, AlertDescription alert)
    {
        var output = Pump.Drain(connection);
        Assert.True(output.Length >= 7, "an alert should be queued for the peer");
        // Walk the records: the last one is the alert (a byte-pattern check on the tail would sometimes match ciphertext).
        var last = 0;
        for (var at = 0; at < output.Length; at += 5 + ((output[at + 3] << 8) | output[at + 4])) last = at;
        var record = output.AsSpan(last);
        if (record[0] == (byte)ContentType.Alert)
        {
            Assert.Equal(7, record.Length);
            Assert.Equal((byte)AlertLevel.Fatal, record[5]);
            Assert.Equal((byte)alert, record[6]);
        }
        else
        {
            // Protected alert: only its presence and size can be checked from the outside.
            Assert.Equal((byte)ContentType.ApplicationData, record[0]);
            Assert.Equal(5 + 2 + 1 + 16, record.Length);
        }
        return output;
    }

    private static ClientHello RealClientHello()
    {
        using var client = TlsConnection.CreateClient(Pair.Client() with { MiddleboxCompatibility = false }, "example.test");
        var record = Pump.Drain(client);
        return ClientHello.Decode(record.AsSpan(9));
    }

    private static byte[] Record(byte type, byte[] body) => [type, 3, 3, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] HelloRecord(ClientHello hello, Action<ClientHello>? mutate, Func<ClientHello, ClientHello>? replace = null)
    {
        var copy = new ClientHello { Random = hello.Random, LegacySessionId = hello.LegacySessionId, CipherSuites = hello.CipherSuites, Extensions = [.. hello.Extensions] };
        mutate?.Invoke(copy);
        if (replace is not null) copy = replace(copy);
        return Record(22, copy.Encode().Raw);
    }

    private static void Replace(ClientHello h, ExtensionType type, byte[] body)
    {
        var i = h.Extensions.FindIndex(e => e.Type == type);
        h.Extensions[i] = new TlsExtension(type, body);
    }

    /// <summary>Adds delta to the first extension's length, or (pastBlockEnd) makes it run delta bytes past the extension block.</summary>
    private static byte[] PatchFirstExtensionLength(ClientHello hello, int delta, bool pastBlockEnd = false)
    {
        var raw = hello.Encode().Raw;
        // type(1) len(3) version(2) random(32) sid(1+0) suites(2+n) compression(2) extensions-length(2) first type(2) first length(2)
        var suites = (raw[39] << 8) | raw[40];
        var at = 4 + 2 + 32 + 1 + 2 + suites + 2 + 2 + 2;
        var block = (raw[at - 4] << 8) | raw[at - 3];
        var len = (pastBlockEnd ? block - 4 : (raw[at] << 8) | raw[at + 1]) + delta;
        raw[at] = (byte)(len >> 8);
        raw[at + 1] = (byte)len;
        return Record(22, raw);
    }

    /// <summary>Flips the last byte (tag) of the first protected record: the flight's, not the tickets' that may follow it.</summary>
    private static byte[] FlipFirstProtectedRecordByte(byte[] flight)
    {
        var copy = flight.ToArray();
        for (var at = 0; at < copy.Length;)
        {
            var end = at + 5 + ((copy[at + 3] << 8) | copy[at + 4]);
            if (copy[at] == (byte)ContentType.ApplicationData)
            {
                copy[end - 1] ^= 1;
                return copy;
            }
            at = end;
        }
        throw new InvalidOperationException("the flight has no protected record");
    }

    private static ServerHello Copy(ServerHello sh, ushort? suite = null, byte[]? sessionId = null, List<TlsExtension>? extensions = null, byte? compression = null) => new()
    {
        Random = sh.Random,
        LegacySessionIdEcho = sessionId ?? sh.LegacySessionIdEcho,
        CipherSuite = suite ?? sh.CipherSuite,
        LegacyCompressionMethod = compression ?? sh.LegacyCompressionMethod,
        Extensions = extensions ?? sh.Extensions,
    };
}
