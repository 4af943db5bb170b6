using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// X25519MLKEM768 in the handshake: on by default on both sides, offered first with an X25519 share beside it, so
/// that a server without it costs no round trip; HelloRetryRequest to it and away from it; never in TLS 1.2; a
/// hostile hybrid share in a ClientHello answered with illegal_parameter.
/// </summary>
public sealed class HybridGroupTests
{
    private static TlsServerOptions Server() => Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256));

    /// <summary>The client's options with a hook that keeps a copy of each ClientHello it sends.</summary>
    private static TlsClientOptions Observed(TlsClientOptions options, List<ClientHello> sent) =>
        options with { TestHooks = new() { RewriteClientHello = h => { sent.Add(h); return h; } } };

    private static List<NamedGroup> SupportedGroups(ClientHello h) =>
        SupportedGroupsExtension.Read(TlsExtension.Find(h.Extensions, ExtensionType.SupportedGroups)!);

    private static List<KeyShareEntry> Shares(ClientHello h) =>
        KeyShareExtension.ReadClientHello(TlsExtension.Find(h.Extensions, ExtensionType.KeyShare)!);

    [Fact]
    public void By_Default_The_Client_Offers_The_Hybrid_First_With_X25519_Beside_It_And_Gets_It()
    {
        var sent = new List<ClientHello>();
        var (c, s) = Pair.Connect(Observed(Pair.Client(), sent), Server());
        using (c)
        using (s)
        {
            var hello = Assert.Single(sent);
            Assert.Equal([NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1], SupportedGroups(hello));
            var shares = Shares(hello);
            Assert.Equal([NamedGroup.X25519MLKEM768, NamedGroup.X25519], shares.Select(k => k.Group));
            Assert.Equal([1216, 32], shares.Select(k => k.KeyExchange.Length));
            Assert.Equal(NamedGroup.X25519MLKEM768, c.KeyExchangeGroup);
            Assert.Equal(NamedGroup.X25519MLKEM768, s.KeyExchangeGroup);
            Assert.False(c.HelloRetryRequested);
            Pair.Exchange(c, s, [1, 2, 3]);
        }
    }

    [Fact]
    public void A_Server_Without_The_Hybrid_Takes_The_X25519_Share_Without_HelloRetryRequest()
    {
        var server = Server() with { Groups = [NamedGroup.X25519, NamedGroup.Secp256r1] };
        var (c, s) = Pair.Connect(Pair.Client(), server);
        using (c)
        using (s)
        {
            Assert.Equal(NamedGroup.X25519, c.KeyExchangeGroup);
            Assert.False(c.HelloRetryRequested);
            Pair.Exchange(c, s, [4]);
        }
    }

    [Fact]
    public void A_Client_Without_The_Hybrid_Gets_X25519_From_The_Default_Server_Without_HelloRetryRequest()
    {
        var client = Pair.Client() with { Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1] };
        var (c, s) = Pair.Connect(client, Server());
        using (c)
        using (s)
        {
            Assert.Equal(NamedGroup.X25519, s.KeyExchangeGroup);
            Assert.False(s.HelloRetryRequested);
        }
    }

    [Fact]
    public void HelloRetryRequest_To_The_Hybrid_When_The_Server_Insists_On_It()
    {
        var sent = new List<ClientHello>();
        var client = Observed(Pair.Client() with { KeyShareGroups = [NamedGroup.X25519] }, sent);
        var (c, s) = Pair.Connect(client, Server() with { HelloRetryForPreferredGroup = true });
        using (c)
        using (s)
        {
            Assert.True(c.HelloRetryRequested);
            Assert.Equal(2, sent.Count);
            Assert.Equal([NamedGroup.X25519MLKEM768], Shares(sent[1]).Select(k => k.Group));
            Assert.Equal(NamedGroup.X25519MLKEM768, c.KeyExchangeGroup);
            Pair.Exchange(c, s, [5]);
        }
    }

    [Fact]
    public void HelloRetryRequest_Away_From_The_Hybrid_When_The_Server_Lacks_It()
    {
        var client = Pair.Client() with { KeyShareGroups = [NamedGroup.X25519MLKEM768] };
        var (c, s) = Pair.Connect(client, Server() with { Groups = [NamedGroup.Secp256r1, NamedGroup.X25519] });
        using (c)
        using (s)
        {
            Assert.True(c.HelloRetryRequested);
            Assert.Equal(NamedGroup.Secp256r1, c.KeyExchangeGroup);
            Pair.Exchange(c, s, [6]);
        }
    }

    [Fact]
    public void Resumption_Keeps_The_Hybrid_Key_Exchange()
    {
        var (c2, s2) = Pair.ConnectTwice(Pair.Client(), Server());
        using (c2)
        using (s2)
        {
            Assert.True(c2.WasResumed);
            Assert.Equal(NamedGroup.X25519MLKEM768, c2.KeyExchangeGroup);   // psk_dhe_ke: forward secret, post-quantum too
        }
    }

    [Fact]
    public void A_Tls12_Only_Client_Leaves_The_Hybrid_Out_Of_Supported_Groups()
    {
        var sent = new List<ClientHello>();
        var (c, s) = Pair.Connect(Observed(Pair.Client() with { MaxVersion = ProtocolVersion.Tls12 }, sent), Server());
        using (c)
        using (s)
        {
            Assert.DoesNotContain(NamedGroup.X25519MLKEM768, SupportedGroups(sent[0]));
            Assert.Equal(ProtocolVersion.Tls12, c.NegotiatedVersion);
            Assert.Equal(NamedGroup.X25519, c.KeyExchangeGroup);
        }
    }

    [Fact]
    public void A_Tls12_Server_Never_Chooses_The_Hybrid_Even_When_A_Client_Lists_It()
    {
        // A TLS 1.2 ClientHello that lists the hybrid first (a client could): the server skips it for X25519.
        var client = Pair.Client() with
        {
            MaxVersion = ProtocolVersion.Tls12,
            TestHooks = new()
            {
                RewriteClientHello = h =>
                {
                    return Replace(h, ExtensionType.SupportedGroups, SupportedGroupsExtension.Body([NamedGroup.X25519MLKEM768, NamedGroup.X25519, NamedGroup.Secp256r1]));
                },
            },
        };
        var (c, s) = Pair.Connect(client, Server());
        using (c)
        using (s)
            Assert.Equal(NamedGroup.X25519, s.KeyExchangeGroup);
    }

    [Fact]
    public void Only_The_Hybrid_With_Only_Tls12_Is_Refused_As_Options()
    {
        var options = Pair.Client() with { MaxVersion = ProtocolVersion.Tls12, Groups = [NamedGroup.X25519MLKEM768] };
        var e = Assert.Throws<ArgumentException>(() => TlsConnection.CreateClient(options, "example.test"));
        Assert.Contains("TLS 1.3 only", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short share")]
    [InlineData("invalid encapsulation key")]
    [InlineData("low-order X25519 half")]
    public void A_Hostile_Hybrid_Share_Is_Answered_With_Illegal_Parameter(string what)
    {
        var client = Pair.Client() with
        {
            KeyShareGroups = [NamedGroup.X25519MLKEM768],
            TestHooks = new()
            {
                RewriteClientHello = h =>
                {
                    var shares = Shares(h);
                    var share = shares[0].KeyExchange.ToArray();
                    if (what == "short share") share = share[..1215];
                    else if (what == "invalid encapsulation key") share[0] = share[1] = 0xFF;   // first coefficient 0xFFF ≥ q
                    else share.AsSpan(1184).Clear();                                           // X25519 half u = 0
                    return Replace(h, ExtensionType.KeyShare, KeyShareExtension.ClientHelloBody([new KeyShareEntry(NamedGroup.X25519MLKEM768, share)]));
                },
            },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Server());
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.False(e.IsFromPeer);
        Assert.Contains("X25519MLKEM768", e.Message, StringComparison.Ordinal);
        var atClient = Assert.Throws<TlsException>(() => Pump.Move(s, c, false));
        Assert.Equal(AlertDescription.IllegalParameter, atClient.Alert);
        Assert.True(atClient.IsFromPeer);
    }

    /// <summary>The ClientHello with one extension's body replaced.</summary>
    private static ClientHello Replace(ClientHello h, ExtensionType type, byte[] body) => new()
    {
        LegacyVersion = h.LegacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites,
        Extensions = h.Extensions.Select(e => e.Type == type ? new TlsExtension(type, body) : e).ToList(),
    };
}
