using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Handshakes per second, client and server in one process over <see cref="InMemoryDuplex"/>: Tessera's TlsStream
/// against SslStream, same certificate (ECDSA P-256 or RSA-2048 leaf + intermediate), X25519, TLS 1.3 or 1.2.
/// "Resumed" reuses one client options object / target host so each side can resume from the previous handshake.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks : HandshakeSuite
{
    [Params("ecdsa-p256", "rsa2048")]
    public string Certificate { get; set; } = "ecdsa-p256";

    [Params("1.3", "1.2")]
    public string Version { get; set; } = "1.3";

    /// <summary>The crypto provider of Tessera's rows (the SslStream rows do not use one).</summary>
    [Params("native", "portable")]
    public string Provider { get; set; } = "native";

    protected override string CertificateKind => Certificate;
    protected override string ProtocolVersionName => Version;
    protected override NamedGroup Group => NamedGroup.X25519;
    protected override string ProviderName => Provider;
}

/// <summary>
/// The same handshakes with P-256 key exchange. SslStream has no API to choose a group, so this suite runs in a child
/// process whose OpenSSL configuration allows only P-256 (<see cref="P256OnlyConfig"/>); the setup proves that both
/// SslStream sides really used P-256 before anything is measured.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(P256OnlyConfig))]
public class P256HandshakeBenchmarks : HandshakeSuite
{
    [Params("1.3", "1.2")]
    public string Version { get; set; } = "1.3";

    protected override string CertificateKind => "ecdsa-p256";
    protected override string ProtocolVersionName => Version;
    protected override NamedGroup Group => NamedGroup.Secp256r1;
}

/// <summary>The measured pair of handshakes and their setup, shared by the X25519 and P-256 suites.</summary>
public abstract class HandshakeSuite
{
    protected abstract string CertificateKind { get; }
    protected abstract string ProtocolVersionName { get; }
    protected abstract NamedGroup Group { get; }

    /// <summary>Tessera's crypto provider ("native" or "portable"); the process default unless a suite names one.</summary>
    protected virtual string? ProviderName => null;

    private BenchPki _pki = null!;
    private TlsClientOptions _tesseraClient = null!;
    private TlsServerOptions _tesseraServer = null!;
    private X509Certificate2 _leaf = null!;
    private SslProtocols _protocols;
    private SslServerAuthenticationOptions _sslServer = null!;
    private SslClientAuthenticationOptions _sslClient = null!;
    private SslServerAuthenticationOptions _sslServerNoResume = null!;
    private SslClientAuthenticationOptions _sslClientNoResume = null!;
    private TlsClientOptions _tesseraClientNoResume = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchPki();
        _leaf = CertificateKind == "rsa2048" ? _pki.RsaLeaf : _pki.Leaf;
        _protocols = ProtocolVersionName == "1.2" ? SslProtocols.Tls12 : SslProtocols.Tls13;
        var version = ProtocolVersionName == "1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13;
        var provider = CryptoProvider.FromEnvironment(ProviderName);
        _tesseraServer = new TlsServerOptions { Certificates = [TlsCredential.FromCertificate(_leaf, _pki.Intermediate)], Groups = [Group], CryptoProvider = provider };
        // The client also lists P-256 (without a key share): in TLS 1.2 supported_groups limits the ECDSA certificate's
        // curve too (RFC 8422 §5.1), and SslStream's client lists it as well. The server accepts only the measured group.
        _tesseraClient = new TlsClientOptions
        {
            TrustStore = TrustStore.FromCertificates(_pki.Root), MinVersion = version, MaxVersion = version,
            Groups = Group == NamedGroup.Secp256r1 ? [Group] : [Group, NamedGroup.Secp256r1], KeyShareGroups = [Group],
            CryptoProvider = provider,
        };
        _tesseraClientNoResume = _tesseraClient with { SessionStore = null };
        _sslServer = ServerOptions(resume: true);
        _sslServerNoResume = ServerOptions(resume: false);
        _sslClient = ClientOptions(resume: true);
        _sslClientNoResume = ClientOptions(resume: false);
        GroupCheck.Require(Group, _leaf, _pki, _sslClientNoResume, _sslServerNoResume, version);
    }

    private SslServerAuthenticationOptions ServerOptions(bool resume) => new()
    {
        ServerCertificateContext = SslStreamCertificateContext.Create(_leaf, [_pki.Intermediate], offline: true),
        EnabledSslProtocols = _protocols,
        AllowTlsResume = resume,
    };

    private SslClientAuthenticationOptions ClientOptions(bool resume) => new()
    {
        TargetHost = "example.test",
        EnabledSslProtocols = _protocols,
        AllowTlsResume = resume,
        CertificateChainPolicy = _pki.SslStreamChainPolicy(),
    };

    [Benchmark(Baseline = true, Description = "SslStream full")]
    public Task SslStreamFull() => SslStreamHandshakeAsync(_sslClientNoResume, _sslServerNoResume);

    [Benchmark(Description = "Tessera full")]
    public Task TesseraFull() => TesseraHandshakeAsync(_tesseraClientNoResume, _tesseraServer);

    [Benchmark(Description = "SslStream resumed (if it resumes)")]
    public Task SslStreamResumed() => SslStreamHandshakeAsync(_sslClient, _sslServer);

    [Benchmark(Description = "Tessera resumed")]
    public Task TesseraResumed() => TesseraHandshakeAsync(_tesseraClient, _tesseraServer);

    internal static async Task TesseraHandshakeAsync(TlsClientOptions client, TlsServerOptions server)
    {
        var (c, s) = InMemoryDuplex.Create();
        await using var clientTls = new TlsStream(c);
        await using var serverTls = new TlsStream(s);
        var serverTask = serverTls.AuthenticateAsServerAsync(server);
        await clientTls.AuthenticateAsClientAsync(client, "example.test");
        await serverTask;
        // One byte each way: the client reads the server's tickets with it, as a real client would.
        await clientTls.WriteAsync(Ping);
        var buffer = new byte[1];
        await serverTls.ReadExactlyAsync(buffer);
        await serverTls.WriteAsync(Ping);
        await clientTls.ReadExactlyAsync(buffer);
    }

    internal static async Task SslStreamHandshakeAsync(SslClientAuthenticationOptions client, SslServerAuthenticationOptions server)
    {
        var (c, s) = InMemoryDuplex.Create();
        await using var clientSsl = new SslStream(c);
        await using var serverSsl = new SslStream(s);
        var serverTask = serverSsl.AuthenticateAsServerAsync(server);
        await clientSsl.AuthenticateAsClientAsync(client);
        await serverTask;
        await clientSsl.WriteAsync(Ping);
        var buffer = new byte[1];
        await serverSsl.ReadExactlyAsync(buffer);
        await serverSsl.WriteAsync(Ping);
        await clientSsl.ReadExactlyAsync(buffer);
    }

    private static readonly byte[] Ping = [42];
}
