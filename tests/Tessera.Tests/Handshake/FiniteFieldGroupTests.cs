using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// RFC 7919 finite-field groups are not supported. A client offering only them is refused with handshake_failure and a
/// sentence that says so; one offering them beside an elliptic-curve group gets that group (with HelloRetryRequest
/// when it sent no share for it).
/// </summary>
public sealed class FiniteFieldGroupTests
{
    private static readonly NamedGroup[] Ffdhe = [NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072, NamedGroup.Ffdhe4096];

    [Theory]
    [InlineData(ProtocolVersion.Tls13)]
    [InlineData(ProtocolVersion.Tls12)]
    public void OnlyFiniteFieldGroups_AreRefused_WithASentenceSayingSo(ProtocolVersion version)
    {
        var client = Pair.Client() with
        {
            MaxVersion = version,
            TestHooks = new()
            {
                RewriteClientHello = h => Rewrite(h, Ffdhe, dropShares: true),
            },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
        Assert.False(e.IsFromPeer);
        Assert.Contains("only finite-field Diffie-Hellman groups (ffdhe2048, ffdhe3072, ffdhe4096), which Tessera does not support", e.Message, StringComparison.Ordinal);
        var atClient = Assert.Throws<TlsException>(() => Pump.Move(s, c, false));
        Assert.Equal(AlertDescription.HandshakeFailure, atClient.Alert);
        Assert.True(atClient.IsFromPeer);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls13)]
    [InlineData(ProtocolVersion.Tls12)]
    public void FiniteFieldGroupsBesideX25519_NegotiateX25519(ProtocolVersion version)
    {
        var client = Pair.Client() with
        {
            MaxVersion = version,
            Groups = [NamedGroup.X25519, NamedGroup.Secp256r1],
            TestHooks = new() { RewriteClientHello = h => Rewrite(h, [.. Ffdhe, NamedGroup.X25519, NamedGroup.Secp256r1], dropShares: false) },
        };
        var (c, s) = Pair.Connect(client, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        using (c)
        using (s)
        {
            Assert.Equal(version, c.NegotiatedVersion);
            Assert.Equal(NamedGroup.X25519, s.KeyExchangeGroup);
            Assert.False(s.HelloRetryRequested);
            Pair.Exchange(c, s, [1]);
        }
    }

    [Fact]
    public void FiniteFieldGroupsFirst_WithoutAShareForTheSupportedGroup_GetHelloRetryRequest()
    {
        // The client lists ffdhe groups first and sends a P-256 share; the server takes only X25519, so it asks for it.
        var client = Pair.Client() with
        {
            KeyShareGroups = [NamedGroup.Secp256r1],
            TestHooks = new() { RewriteClientHello = h => Rewrite(h, [.. Ffdhe, NamedGroup.X25519, NamedGroup.Secp256r1], dropShares: false) },
        };
        var server = Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { Groups = [NamedGroup.X25519] };
        var (c, s) = Pair.Connect(client, server);
        using (c)
        using (s)
        {
            Assert.True(c.HelloRetryRequested);
            Assert.True(s.HelloRetryRequested);
            Assert.Equal(NamedGroup.X25519, c.KeyExchangeGroup);
            Pair.Exchange(c, s, [2]);
        }
    }

    private static ClientHello Rewrite(ClientHello h, IReadOnlyList<NamedGroup> groups, bool dropShares)
    {
        var extensions = new List<TlsExtension>();
        foreach (var e in h.Extensions)
        {
            if (e.Type == ExtensionType.SupportedGroups) extensions.Add(new(e.Type, SupportedGroupsExtension.Body(groups)));
            else if (e.Type == ExtensionType.KeyShare && dropShares) extensions.Add(new(e.Type, KeyShareExtension.ClientHelloBody([])));
            else extensions.Add(e);
        }
        return new() { LegacyVersion = h.LegacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites, Extensions = extensions };
    }
}
