using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Certificates;

namespace Tessera.Benchmarks;

/// <summary>
/// Verifying a 3-certificate chain (leaf + intermediate sent by the peer, root trusted): Tessera's own verifier
/// (path building, RFC 5280 checks, host name) against the platform's X509Chain with custom root trust and no
/// revocation — what SslStream does for each handshake.
/// </summary>
[MemoryDiagnoser]
public class ChainVerificationBenchmarks
{
    private BenchPki _pki = null!;
    private TesseraCertificateVerifier _verifier = null!;
    private byte[][] _sent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchPki();
        _verifier = new TesseraCertificateVerifier(TrustStore.FromCertificates(_pki.Root), RevocationMode.Off);
        _sent = [_pki.Leaf.RawData, _pki.Intermediate.RawData];
        _verifier.Verify(Request());    // also warms the trust store's parsed roots
        if (!X509ChainBuild() || !X509ChainFromDer()) throw new InvalidOperationException("X509Chain refused the benchmark chain");
    }

    /// <summary>
    /// What SslStream does per handshake: load the peer's two certificates from the DER it received, then build the
    /// chain. Tessera's figures below also start from the DER.
    /// </summary>
    [Benchmark(Baseline = true, Description = "X509Chain from DER (custom root, no revocation)")]
    public bool X509ChainFromDer()
    {
        using var leaf = X509CertificateLoader.LoadCertificate(_sent[0]);
        using var intermediate = X509CertificateLoader.LoadCertificate(_sent[1]);
        return Build(leaf, intermediate);
    }

    /// <summary>The chain build alone, with the certificates already loaded (the loading is not counted).</summary>
    [Benchmark(Description = "X509Chain, certificates already loaded")]
    public bool X509ChainBuild() => Build(_pki.Leaf, _pki.Intermediate);

    private bool Build(X509Certificate2 leaf, X509Certificate2 intermediate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(leaf);
    }

    /// <summary>First contact with the chain: both certificates are parsed, both issuer keys imported, both signatures checked.</summary>
    [Benchmark(Description = "Tessera verifier, first contact")]
    public void TesseraCold()
    {
        SignatureCache.Clear();
        ParsedCertificateCache.Clear();
        Crypto.VerificationKeyCache.Clear();
        _verifier.Verify(Request());
    }

    /// <summary>
    /// The chain was seen before (a client reconnecting): parses and verified signatures come from the caches, every
    /// RFC 5280 and host-name check runs again.
    /// </summary>
    [Benchmark(Description = "Tessera verifier, chain seen before")]
    public void TesseraWarm() => _verifier.Verify(Request());

    /// <summary>The chain as a handshake hands it over: DER straight from the Certificate message, a new object per connection.</summary>
    private CertificateVerificationRequest Request() =>
        new(new PeerCertificateChain(_sent), "example.test", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow);
}
