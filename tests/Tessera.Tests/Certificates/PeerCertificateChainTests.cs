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
