using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>What a peer sent is echoed into errors and traces only in bounded form: a capped count and capped names.</summary>
public sealed class PeerTextTests
{
    [Fact]
    public void AHelloWithThousandsOfGroups_IsRefusedInOneShortSentence_AndTracedShort()
    {
        var groups = Enumerable.Range(0, 3000).Select(i => (NamedGroup)(0x2000 + i)).ToList();
        var client = Pair.Client() with
        {
            TestHooks = new()
            {
                RewriteClientHello = h => new()
                {
                    LegacyVersion = h.LegacyVersion, Random = h.Random, LegacySessionId = h.LegacySessionId, CipherSuites = h.CipherSuites,
                    Extensions = h.Extensions.Select(e => e.Type switch
                    {
                        ExtensionType.SupportedGroups => new TlsExtension(e.Type, SupportedGroupsExtension.Body(groups)),
                        ExtensionType.KeyShare => new TlsExtension(e.Type, KeyShareExtension.ClientHelloBody([])),
                        _ => e,
                    }).ToList(),
                },
            },
        };
        using var c = TlsConnection.CreateClient(client, "example.test");
        using var s = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { RecordHandshakeEvents = true });
        var e = Assert.Throws<TlsException>(() => Pump.Handshake(c, s));
        Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
        Assert.Contains($"… {3000 - PeerText.MaxItems} more", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 600, $"the refusal is {e.Message.Length} characters long");
        var traced = s.HandshakeEvents.Single(x => x.Name == "ClientHello").Fields.Single(f => f.Key == "supported_groups").Value;
        Assert.True(traced.Length < 400, $"the traced group list is {traced.Length} characters long");
        Assert.EndsWith($"… {3000 - PeerText.MaxItems} more", traced, StringComparison.Ordinal);
    }

    [Fact]
    public void Clip_EscapesControlCharacters_AndBoundsTheLength()
    {
        Assert.Equal("h2", PeerText.Clip("h2"));
        Assert.Equal("a\\x1b[2Jb", PeerText.Clip("a\u001b[2Jb"));
        var clipped = PeerText.Clip(new string('x', 255));
        Assert.Equal(PeerText.MaxLength + 1, clipped.Length);
        Assert.EndsWith("…", clipped, StringComparison.Ordinal);
    }

    [Fact]
    public void List_KeepsTheFirstItems_AndCountsTheRest()
    {
        Assert.Equal("a, b", PeerText.List(["a", "b"]));
        var many = Enumerable.Range(0, PeerText.MaxItems + 5).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var joined = PeerText.List(many, " ");
        Assert.StartsWith("0 1 2", joined, StringComparison.Ordinal);
        Assert.EndsWith("… 5 more", joined, StringComparison.Ordinal);
        Assert.DoesNotContain($" {PeerText.MaxItems} ", joined, StringComparison.Ordinal);
    }
}
