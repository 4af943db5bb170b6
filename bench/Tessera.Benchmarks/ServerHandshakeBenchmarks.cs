using System.Net.Security;
using System.Security.Authentication;
using BenchmarkDotNet.Attributes;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Benchmarks;

/// <summary>
/// The server's side of a full TLS 1.3 handshake, isolated: a recorded ClientHello (X25519 key share) is replayed to a
/// fresh server stream, which answers with its flight (ServerHello … Finished: key generation, ECDH, key schedule,
/// ECDSA signature); then the client vanishes (end of stream) and the server fails its handshake. Both stacks pay that
/// one exception. The client's Finished and the tickets that would follow are not part of the measurement: producing a
/// valid client Finished needs the client's work, which is what this suite leaves out.
/// </summary>
[MemoryDiagnoser]
public class ServerHandshakeBenchmarks
{
    private byte[] _clientHello = null!;
    private TlsServerOptions _tessera = null!;
    private SslServerAuthenticationOptions _ssl = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pki = new BenchPki();
        _tessera = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)] };
        _ssl = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(pki.Leaf, [pki.Intermediate], offline: true),
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
        };
        // One ClientHello, as a Tessera client sends it: TLS 1.3 only, X25519 share, SNI example.test. (X25519 alone:
        // SslStream's OpenSSL 3.0 has no X25519MLKEM768; HybridGroupBenchmarks measures the hybrid against X25519.)
        var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(pki.Root), SessionStore = null,
            Groups = [Wire.NamedGroup.X25519, Wire.NamedGroup.Secp256r1],
            // Without compress_certificate: SslStream's OpenSSL 3.0 cannot compress, so both servers send the same
            // Certificate message and the rows compare the same work (bench/README "Certificate compression" measures it).
            CertificateCompression = [],
        }, "example.test");
        _clientHello = client.PendingOutput.ToArray();
        client.Dispose();
        // Both servers must really produce a flight from it, or the comparison is empty.
        if (TesseraServerFlight().GetAwaiter().GetResult() < 1000 || SslStreamServerFlight().GetAwaiter().GetResult() < 1000)
            throw new InvalidOperationException("a server did not answer the recorded ClientHello with its flight");
    }

    [Benchmark(Baseline = true, Description = "SslStream server flight")]
    public async Task<int> SslStreamServerFlight()
    {
        var transport = new ScriptedClient(_clientHello);
        await using var ssl = new SslStream(transport);
        try
        {
            await ssl.AuthenticateAsServerAsync(_ssl);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // Expected: the scripted client ends the stream after the server's flight.
        }
        return transport.Received;
    }

    [Benchmark(Description = "Tessera server flight")]
    public Task<int> TesseraServerFlight() => ServerFlightAsync(_clientHello, _tessera);

    /// <summary>A fresh Tessera server answers the recorded ClientHello; returns the bytes of its flight.</summary>
    internal static async Task<int> ServerFlightAsync(byte[] clientHello, TlsServerOptions options)
    {
        var transport = new ScriptedClient(clientHello);
        await using var tls = new TlsStream(transport);
        try
        {
            await tls.AuthenticateAsServerAsync(options);
        }
        catch (TlsException)
        {
            // Expected: the scripted client ends the stream after the server's flight.
        }
        return transport.Received;
    }

    /// <summary>A client that sends one recorded ClientHello, counts what the server writes, then ends the stream.</summary>
    private sealed class ScriptedClient(byte[] clientHello) : SynchronousTransport
    {
        private int _offset;

        public int Received { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(buffer.Length, clientHello.Length - _offset);
            clientHello.AsSpan(_offset, n).CopyTo(buffer.Span);
            _offset += n;
            return ValueTask.FromResult(n);   // 0 once the ClientHello is out: the client has gone
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Received += buffer.Length;
    }
}
