using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// RFC 8879 certificate compression between Tessera endpoints: each algorithm both ways (server and client
/// certificates), negotiation when either side turns it off, the cache per credential, and hostile CompressedCertificate
/// messages — wrong length, a decompression bomb, an algorithm not offered, one never asked for, corrupt data.
/// </summary>
public sealed class CertificateCompressionTests
{
    private static readonly TestPki ClientPki = new("Tessera Compression Client CA");

    [Theory]
    [InlineData(CertificateCompressionAlgorithm.Brotli)]
    [InlineData(CertificateCompressionAlgorithm.Zlib)]
    public void The_Server_Certificate_Arrives_Compressed_With_The_Algorithm_Both_Support(CertificateCompressionAlgorithm algorithm)
    {
        var credential = Pair.Pki.Shared(KeyKind.Rsa2048);
        var (c, s) = Pair.Connect(Pair.Client() with { CertificateCompression = [algorithm], RecordHandshakeEvents = true }, Pair.Server(credential));
        using (c)
        using (s)
        {
            Pair.Exchange(c, s, [1, 2, 3]);
            var received = Assert.IsType<CertificateCompressionResult>(c.ReceivedCertificateCompression);
            Assert.Equal(algorithm, received.Algorithm);
            Assert.Equal(received, s.SentCertificateCompression);
            Assert.Equal(credential.Certificate13.Length, received.UncompressedLength);
            Assert.True(received.CompressedLength < received.UncompressedLength, received.ToString());
            Assert.Equal(credential.Leaf.RawData, c.PeerCertificates[0].RawData);
            var trace = Assert.Single(c.HandshakeEvents, e => e.MessageType == HandshakeType.CompressedCertificate);
            Assert.Contains(trace.Fields, f => f.Key == "algorithm" && f.Value == TlsNames.Of(algorithm));
            Assert.Contains(trace.Fields, f => f.Key == "[0]" && f.Value.Contains("CN=example.test", StringComparison.Ordinal));
            Assert.DoesNotContain(c.HandshakeEvents, e => e.MessageType == HandshakeType.Certificate);
        }
    }

    [Fact]
    public void The_Server_Takes_Its_Own_Preference_Among_What_The_Client_Lists()
    {
        var (c, s) = Pair.Connect(Pair.Client() with { CertificateCompression = [CertificateCompressionAlgorithm.Zlib, CertificateCompressionAlgorithm.Brotli] },
            Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s) Assert.Equal(CertificateCompressionAlgorithm.Brotli, c.ReceivedCertificateCompression?.Algorithm);
    }

    [Fact]
    public void Either_Side_Turning_It_Off_Sends_The_Certificate_Plain_And_Tls12_Never_Compresses()
    {
        foreach (var (client, server) in new[]
        {
            (Pair.Client() with { CertificateCompression = [] }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256))),
            (Pair.Client(), Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { CertificateCompression = [] }),
            (Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256))),
        })
        {
            var (c, s) = Pair.Connect(client with { RecordHandshakeEvents = true }, server);
            using (c)
            using (s)
            {
                Assert.Null(c.ReceivedCertificateCompression);
                Assert.Null(s.SentCertificateCompression);
                Assert.Contains(c.HandshakeEvents, e => e.MessageType == HandshakeType.Certificate);
            }
        }
    }

    [Fact]
    public void Each_Credential_Compresses_Once_Not_Per_Handshake()
    {
        var credential = Pair.Pki.Issue(KeyKind.EcdsaP256, ["example.test"]);
        var first = credential.CompressedCertificate13(CertificateCompressionAlgorithm.Brotli, stapled: false);
        for (var i = 0; i < 3; i++)
        {
            var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
            using (c)
            using (s) Assert.Equal(first.Length, s.SentCertificateCompression!.CompressedLength);
        }
        Assert.Same(first, credential.CompressedCertificate13(CertificateCompressionAlgorithm.Brotli, stapled: false));
        Assert.NotSame(first, credential.CompressedCertificate13(CertificateCompressionAlgorithm.Zlib, stapled: false));
    }

    [Theory]
    [InlineData(CertificateCompressionAlgorithm.Brotli)]
    [InlineData(CertificateCompressionAlgorithm.Zlib)]
    public void A_Client_Certificate_Is_Compressed_When_The_CertificateRequest_Lists_The_Algorithm(CertificateCompressionAlgorithm algorithm)
    {
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with
        {
            ClientCertificateMode = ClientCertificateMode.Required, ClientTrustStore = ClientPki.TrustStore, CertificateCompression = [algorithm],
        };
        var clientCredential = ClientPki.Issue(KeyKind.EcdsaP256, [], clientAuth: true);
        var (c, s) = Pair.Connect(Pair.Client() with { ClientCertificate = clientCredential }, server);
        using (c)
        using (s)
        {
            Pair.Exchange(c, s, [4]);
            Assert.Equal(algorithm, s.ReceivedCertificateCompression?.Algorithm);
            Assert.Equal(algorithm, c.SentCertificateCompression?.Algorithm);
            Assert.Equal(clientCredential.Leaf.RawData, s.PeerCertificates[0].RawData);
        }
    }

    [Fact]
    public void Options_Refuse_Zstd_And_Unknown_Algorithms()
    {
        Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(Pair.Client() with { CertificateCompression = [CertificateCompressionAlgorithm.Zstd] }, "example.test"));
        Assert.Throws<ArgumentException>(() => TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { CertificateCompression = [(CertificateCompressionAlgorithm)0x4242] }));
    }

    // ------------------------------------------------------------------ hostile CompressedCertificate to the client

    public static TheoryData<string, AlertDescription> HostileCases() => new()
    {
        { "declared length one too long", AlertDescription.BadCertificate },
        { "declared length one too short", AlertDescription.BadCertificate },
        { "decompression bomb: 16 MiB declared", AlertDescription.BadCertificate },
        { "declared length too small for a Certificate", AlertDescription.BadCertificate },
        { "algorithm not offered (zlib when only brotli was)", AlertDescription.IllegalParameter },
        { "unknown algorithm", AlertDescription.IllegalParameter },
        { "corrupt brotli data", AlertDescription.BadCertificate },
        { "truncated CompressedCertificate", AlertDescription.DecodeError },
        { "empty compressed data", AlertDescription.DecodeError },
        { "bomb that really inflates past its declared length", AlertDescription.BadCertificate },
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void The_Client_Refuses_A_Hostile_CompressedCertificate(string name, AlertDescription expected)
    {
        using var captured = CapturedServerFlight.Capture(Pair.Client() with { CertificateCompression = [CertificateCompressionAlgorithm.Brotli] }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var client = captured.Client;
        var input = captured.Rewrite(m =>
        {
            var i = FlightRewriter.IndexOf(m, HandshakeType.CompressedCertificate);
            Assert.True(i >= 0, "the server sent no CompressedCertificate");
            var original = CompressedCertificate.Decode(m[i].AsSpan(4));
            var plain = Pair.Pki.Shared(KeyKind.EcdsaP256).Certificate13.Body.ToArray();
            m[i] = name switch
            {
                "declared length one too long" => With(original, length: original.UncompressedLength + 1),
                "declared length one too short" => With(original, length: original.UncompressedLength - 1),
                "decompression bomb: 16 MiB declared" => With(original, length: 0xffffff),
                "declared length too small for a Certificate" => With(original, length: 3),
                "algorithm not offered (zlib when only brotli was)" => Compressed(CertificateCompressionAlgorithm.Zlib, plain),
                "unknown algorithm" => With(original, algorithm: (CertificateCompressionAlgorithm)0x4242),
                "corrupt brotli data" => With(original, data: [.. original.Compressed.AsSpan(0, original.Compressed.Length / 2), 0xff, 0xff, 0xff]),
                "truncated CompressedCertificate" => m[i].AsSpan(0, 8).ToArray() is var cut ? Reframe(cut) : [],
                "empty compressed data" => HandshakeMessage.Frame(HandshakeType.CompressedCertificate, [0, 2, 0, 0, 100, 0, 0, 0]).Raw,
                // 200 KiB of zeros compresses to a few hundred bytes; declared as the real Certificate's length, it
                // inflates past it, and the decoder stops at the declared length rather than following it.
                "bomb that really inflates past its declared length" => With(original, data: Brotli(new byte[200 * 1024])),
                _ => throw new ArgumentException(name),
            };
            return m;
        });
        var e = Assert.Throws<TlsException>(() => client.ReceiveTls(input));
        Assert.Equal(expected, e.Alert);
        Assert.False(e.IsFromPeer);
        Assert.False(client.IsHandshakeComplete);
    }

    [Fact]
    public void A_CompressedCertificate_The_Client_Never_Asked_For_Is_Unexpected()
    {
        using var captured = CapturedServerFlight.Capture(Pair.Client() with { CertificateCompression = [] }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var client = captured.Client;
        var input = captured.Rewrite(m =>
        {
            var i = FlightRewriter.IndexOf(m, HandshakeType.Certificate);
            m[i] = Compressed(CertificateCompressionAlgorithm.Brotli, m[i].AsSpan(4).ToArray());
            return m;
        });
        var e = Assert.Throws<TlsException>(() => client.ReceiveTls(input));
        Assert.Equal(AlertDescription.UnexpectedMessage, e.Alert);
    }

    private static byte[] With(CompressedCertificate c, int? length = null, CertificateCompressionAlgorithm? algorithm = null, byte[]? data = null) =>
        new CompressedCertificate { Algorithm = algorithm ?? c.Algorithm, UncompressedLength = length ?? c.UncompressedLength, Compressed = data ?? c.Compressed }.Encode().Raw;

    private static byte[] Compressed(CertificateCompressionAlgorithm algorithm, byte[] certificateBody) =>
        Tessera.Handshake.CertificateCompressor.Compress(algorithm, HandshakeMessage.Frame(HandshakeType.Certificate, certificateBody)).Raw;

    private static byte[] Reframe(byte[] cut) => HandshakeMessage.Frame(HandshakeType.CompressedCertificate, cut.AsSpan(4)).Raw;

    private static byte[] Brotli(byte[] data)
    {
        var output = new byte[System.IO.Compression.BrotliEncoder.GetMaxCompressedLength(data.Length)];
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(data, output, out var written));
        return output[..written];
    }
}
