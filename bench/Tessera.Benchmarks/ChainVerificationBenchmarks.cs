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
    private CertificateVerificationRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new BenchPki();
        _verifier = new TesseraCertificateVerifier(TrustStore.FromCertificates(_pki.Root), RevocationMode.Off);
        _request = new CertificateVerificationRequest([_pki.Leaf, _pki.Intermediate], "example.test", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow);
        _verifier.Verify(_request);    // also warms the trust store's parsed roots
        if (!X509ChainBuild()) throw new InvalidOperationException("X509Chain refused the benchmark chain");
    }

    [Benchmark(Baseline = true, Description = "X509Chain (custom root, no revocation)")]
    public bool X509ChainBuild()
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root);
        chain.ChainPolicy.ExtraStore.Add(_pki.Intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(_pki.Leaf);
    }

    /// <summary>First contact with the chain: both signatures are checked.</summary>
    [Benchmark(Description = "Tessera verifier, first contact")]
    public void TesseraCold()
    {
        SignatureCache.Clear();
        _verifier.Verify(_request);
    }

    /// <summary>The chain was seen before (a client reconnecting): verified signatures come from the cache, every other check runs.</summary>
    [Benchmark(Description = "Tessera verifier, chain seen before")]
    public void TesseraWarm() => _verifier.Verify(_request);
}
