using BenchmarkDotNet.Attributes;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// What the post-quantum hybrid X25519MLKEM768 costs over X25519, Tessera against itself (SslStream cannot offer the
/// hybrid with this machine's OpenSSL 3.0, so there is no SslStream row): a full and a resumed TLS 1.3 handshake pair
/// (ECDSA P-256 leaf + intermediate, as <see cref="HandshakeBenchmarks"/>), the server's flight alone for a recorded
/// ClientHello (as <see cref="ServerHandshakeBenchmarks"/>), and the key exchange alone on each side — the client's
/// (make its share, then take the server's answer: key generation + decapsulation for the hybrid) and the server's
/// (answer the client's share: key generation + agreement, or encapsulation). Each side offers only the measured group.
/// </summary>
[MemoryDiagnoser]
public class HybridGroupBenchmarks
{
    [Params("x25519", "X25519MLKEM768")]
    public string Group { get; set; } = "x25519";

    private NamedGroup _group;
    private TlsClientOptions _client = null!;
    private TlsClientOptions _clientNoResume = null!;
    private TlsServerOptions _server = null!;
    private byte[] _clientHello = null!;
    private byte[] _clientShare = null!;
    private byte[] _serverShare = null!;

    [GlobalSetup]
    public void Setup()
    {
        _group = Group == "x25519" ? NamedGroup.X25519 : NamedGroup.X25519MLKEM768;
        var pki = new BenchPki();
        _server = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)], Groups = [_group] };
        _client = new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(pki.Root), MinVersion = ProtocolVersion.Tls13, Groups = [_group],
        };
        _clientNoResume = _client with { SessionStore = null };
        // The recorded hello asks for no certificate compression, so the server flight is the same size as before
        // compression existed and the check below (a whole flight, not just a ServerHello) keeps its meaning.
        var recorder = TlsConnection.CreateClient(_clientNoResume with { CertificateCompression = [] }, "example.test");
        _clientHello = recorder.PendingOutput.ToArray();
        recorder.Dispose();
        using (var share = KeyExchange.Generate(_group, null))
        {
            _clientShare = share.PublicKey;
            _serverShare = KeyExchange.Answer(_group, _clientShare, null).Share;
        }
        if (ServerHandshakeBenchmarks.ServerFlightAsync(_clientHello, _server).GetAwaiter().GetResult() < 1000)
            throw new InvalidOperationException("the server did not answer the recorded ClientHello with its flight");
        RequireNegotiatedAsync().GetAwaiter().GetResult();
    }

    /// <summary>The measured group must be the one negotiated, or the rows compare nothing.</summary>
    private async Task RequireNegotiatedAsync()
    {
        var (c, s) = InMemoryDuplex.Create();
        await using var client = new TlsStream(c);
        await using var server = new TlsStream(s);
        var serverTask = server.AuthenticateAsServerAsync(_server);
        await client.AuthenticateAsClientAsync(_clientNoResume, "example.test");
        await serverTask;
        if (client.Connection.KeyExchangeGroup != _group || server.Connection.KeyExchangeGroup != _group)
            throw new InvalidOperationException($"negotiated {client.Connection.KeyExchangeGroup}, not {_group}");
    }

    [Benchmark(Description = "full handshake pair")]
    public Task Full() => HandshakeSuite.TesseraHandshakeAsync(_clientNoResume, _server);

    [Benchmark(Description = "resumed handshake pair")]
    public Task Resumed() => HandshakeSuite.TesseraHandshakeAsync(_client, _server);

    [Benchmark(Description = "server flight")]
    public Task<int> ServerFlight() => ServerHandshakeBenchmarks.ServerFlightAsync(_clientHello, _server);

    [Benchmark(Description = "client key exchange")]
    public int ClientKeyExchange()
    {
        using var kx = KeyExchange.Generate(_group, null);
        return kx.PublicKey.Length + kx.DeriveSharedSecret(_serverShare).Length;
    }

    [Benchmark(Description = "server key exchange")]
    public int ServerKeyExchange() => KeyExchange.Answer(_group, _clientShare, null).Share.Length;
}
