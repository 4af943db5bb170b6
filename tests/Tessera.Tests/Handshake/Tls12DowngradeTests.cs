using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// A man in the middle between a Tessera client and a Tessera server: removing TLS 1.3 from the ClientHello is
/// caught by the RFC 8446 §4.1.3 sentinel, and altering any handshake byte ends both sides in failure with no
/// application data delivered.
/// </summary>
public sealed class Tls12DowngradeTests
{
    [Fact]
    public void RelayThatStripsTls13_IsCaughtByTheDowngradeSentinel()
    {
        using var client = TlsConnection.CreateClient(Pair.Client(), "example.test");
        using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var first = true;
        byte[] Relay(bool fromClient, byte[] bytes)
        {
            if (!fromClient || !first) return bytes;
            first = false;
            return StripTls13(bytes);
        }
        RunUntilQuiet(client, server, Relay);

        Assert.NotNull(client.Failure);
        Assert.Equal(AlertDescription.IllegalParameter, client.Failure!.Alert);
        Assert.Contains("downgrade sentinel", client.Failure.Message, StringComparison.Ordinal);
        Assert.NotNull(server.Failure);                 // it got the client's alert
        Assert.Equal(ProtocolVersion.Tls12, server.NegotiatedVersion);
        Assert.False(client.IsHandshakeComplete);
        Assert.False(server.IsHandshakeComplete);
    }

    [Fact]
    public void WithoutTls13OnTheClient_TheSameStrippedHelloIsAcceptedAsPlainTls12()
    {
        // Control for the test above: a client that never offered TLS 1.3 does not look for the sentinel.
        var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s) Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
    }

    public static TheoryData<int> Flights() => [0, 1, 2, 3];

    /// <summary>Flips every handshake byte (record headers excluded) of one flight, one at a time.</summary>
    [Theory]
    [MemberData(nameof(Flights))]
    public void RelayThatFlipsAnyHandshakeByte_FailsBothSides(int flight)
    {
        var positions = HandshakeBytePositions(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)), flight);
        Assert.NotEmpty(positions);
        foreach (var position in positions)
        {
            // A flipped length byte leaves a side waiting for bytes that never come: the handshake timeout ends it.
            var clock = new ManualClock();
            var clientOptions = Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, TimeProvider = clock };
            var serverOptions = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TimeProvider = clock };
            using var client = TlsConnection.CreateClient(clientOptions, "example.test");
            using var server = TlsConnection.CreateServer(serverOptions);
            var seen = 0;
            var flipped = false;
            byte[] Relay(bool fromClient, byte[] bytes)
            {
                if (seen++ != flight) return bytes;
                if (position >= bytes.Length) return bytes;   // this run's flight came out shorter (ECDSA signatures vary)
                flipped = true;
                var copy = bytes.ToArray();
                copy[position] ^= 0x01;
                return copy;
            }
            RunUntilQuiet(client, server, Relay, clock);
            if (!flipped) continue;
            Assert.True(client.Failure is not null, $"flight {flight} byte {position}: the client did not fail");
            Assert.True(server.Failure is not null, $"flight {flight} byte {position}: the server did not fail");
            Assert.Equal(0, client.AvailablePlaintext);
            Assert.Equal(0, server.AvailablePlaintext);
        }
    }

    /// <summary>Runs a clean handshake and returns the offsets of handshake-carrying bytes in the given flight (not record headers, not ChangeCipherSpec).</summary>
    private static List<int> HandshakeBytePositions(TlsClientOptions clientOptions, TlsServerOptions serverOptions, int flight)
    {
        using var client = TlsConnection.CreateClient(clientOptions, "example.test");
        using var server = TlsConnection.CreateServer(serverOptions);
        byte[]? captured = null;
        var seen = 0;
        Pump.Handshake(client, server, (_, bytes) => { if (seen++ == flight) captured = bytes; return bytes; });
        var positions = new List<int>();
        for (var at = 0; at < captured!.Length;)
        {
            var type = captured[at];
            var length = (captured[at + 3] << 8) | captured[at + 4];
            // Every byte of a handshake record and of a protected (Finished) record; the one-byte CCS and the
            // 5-byte headers are framing, not handshake content.
            if (type is (byte)ContentType.Handshake)
                for (var i = 0; i < length; i++) positions.Add(at + 5 + i);
            at += 5 + length;
        }
        return positions;
    }

    private static void RunUntilQuiet(TlsConnection client, TlsConnection server, Func<bool, byte[], byte[]> relay, ManualClock? clock = null)
    {
        var timedOut = false;
        for (var round = 0; round < 20; round++)
        {
            var moved = TryMove(client, server, true, relay) | TryMove(server, client, false, relay);
            if (moved) continue;
            if (clock is null || timedOut) return;
            // Quiet: let the handshake deadline pass, as a real adapter's timer would.
            timedOut = true;
            clock.Advance(TimeSpan.FromMinutes(1));
            foreach (var c in new[] { client, server })
            {
                try { c.CheckHandshakeTimeout(); }
                catch (TlsException) { /* the timeout is the expected end; asserted through Failure */ }
            }
        }
        throw new InvalidOperationException("the connection did not settle within 20 rounds");
    }

    private static bool TryMove(TlsConnection from, TlsConnection to, bool fromClient, Func<bool, byte[], byte[]> relay)
    {
        if (!from.HasPendingOutput) return false;
        var bytes = relay(fromClient, Pump.Drain(from));
        if (to.Failure is not null) return true;   // a failed endpoint reads nothing more
        try
        {
            to.ReceiveTls(bytes);
        }
        catch (TlsException)
        {
            // Expected for tampered flights; the test asserts on Failure afterwards.
        }
        return true;
    }

    private static byte[] StripTls13(byte[] record)
    {
        var hello = ClientHello.Decode(record.AsSpan(5 + 4));
        var stripped = new ClientHello
        {
            LegacyVersion = hello.LegacyVersion,
            Random = hello.Random,
            LegacySessionId = hello.LegacySessionId,
            CipherSuites = hello.CipherSuites,
            Extensions = hello.Extensions.Where(e => e.Type is not (ExtensionType.SupportedVersions or ExtensionType.KeyShare or ExtensionType.PskKeyExchangeModes)).ToList(),
        }.Encode().Raw;
        return [(byte)ContentType.Handshake, record[1], record[2], (byte)(stripped.Length >> 8), (byte)stripped.Length, .. stripped];
    }
}
