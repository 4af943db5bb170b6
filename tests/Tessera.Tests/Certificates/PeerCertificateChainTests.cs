using Tessera.Certificates;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Certificates;

/// <summary>The peer's chain is kept as DER and loaded into X509Certificate2s only when asked for.</summary>
public sealed class PeerCertificateChainTests
{
    [Fact]
    public void Handshake_Exposes_The_Chain_As_Sent()
    {
        var credential = Pair.Pki.Shared(KeyKind.EcdsaP256);
        var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
        using (c)
        using (s)
        {
            var chain = Assert.IsType<PeerCertificateChain>(c.PeerCertificates);
            Assert.Equal(credential.Chain.Count, chain.Count);
            for (var i = 0; i < chain.Count; i++)
            {
                Assert.Equal(credential.Chain[i].RawData, chain.GetRawData(i).ToArray());
                Assert.Equal(credential.Chain[i].RawData, chain[i].RawData);
                Assert.Same(chain[i], chain[i]);   // loaded once
            }
            Assert.Equal(credential.Chain.Select(x => x.Thumbprint), chain.Select(x => x.Thumbprint));
        }
    }

    [Fact]
    public void Resumed_Connection_Has_The_Original_Chain()
    {
        var credential = Pair.Pki.Shared(KeyKind.EcdsaP256);
        var (c2, s2) = Pair.ConnectTwice(Pair.Client(), Pair.Server(credential));
        using (c2)
        using (s2)
        {
            Assert.True(c2.WasResumed);
            Assert.Equal(credential.Leaf.RawData, c2.PeerCertificates[0].RawData);
            Assert.Equal(credential.Chain.Count, c2.PeerCertificates.Count);
        }
    }

    [Fact]
    public void A_Chain_Met_Before_Shares_The_Parse_Caches_Bytes_Instead_Of_Copying_Them()
    {
        var credential = Pair.Pki.Shared(KeyKind.EcdsaP256);
        // A new client (no session to resume) meets a chain it has met before: each certificate is found parsed, and the
        // chain keeps the cache's array and parse rather than a copy of the message's bytes. The cache is process-wide and
        // cleared when full, so a test running beside this one may empty it between two handshakes: three tries at most.
        var shared = false;
        for (var attempt = 0; attempt < 3 && !shared; attempt++)
        {
            var (c, s) = Pair.Connect(Pair.Client(), Pair.Server(credential));
            using (c)
            using (s)
            {
                Assert.False(c.WasResumed);
                var chain = Assert.IsType<PeerCertificateChain>(c.PeerCertificates);
                shared = true;
                for (var i = 0; i < chain.Count; i++)
                {
                    Assert.Equal(credential.Chain[i].RawData, chain.GetRawData(i).ToArray());
                    Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(chain.GetRawData(i), out var segment));
                    shared &= ReferenceEquals(chain.GetParsed(i).Der, segment.Array);
                }
            }
        }
        Assert.True(shared, "the chain copied certificates the parse cache already held");
        // The lookup is by content: bytes no connection sent find nothing. (Not the leaf with one bit flipped: tests beside
        // this one send exactly such tampered chains, and their parse is cached like any other.)
        var unseen = new byte[credential.Leaf.RawData.Length];
        new Random(20261207).NextBytes(unseen);
        Assert.Null(ParsedCertificateCache.Find(unseen));
    }

    [Fact]
    public void Undecodable_Certificate_Is_Bad_Certificate_When_Loaded()
    {
        var chain = new PeerCertificateChain([[0x30, 0x03, 0x02, 0x01, 0x00]]);
        Assert.True(chain.Count == 1);
        var e = Assert.Throws<TlsException>(() => chain[0]);
        Assert.Equal(AlertDescription.BadCertificate, e.Alert);
        var parse = Assert.Throws<TlsException>(() => chain.GetParsed(0));
        Assert.Equal(AlertDescription.BadCertificate, parse.Alert);
    }
}
