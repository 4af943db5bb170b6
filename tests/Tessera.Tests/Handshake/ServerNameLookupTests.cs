using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Handshake;

/// <summary>
/// The one SNI rule every Tessera server follows (ServerNameLookup): the name, then the wildcard one label up, then
/// the default — in the map itself, and in the core's choice among certificates in both versions.
/// </summary>
public sealed class ServerNameLookupTests
{
    [Theory]
    [InlineData("api.example.test", "exact")]
    [InlineData("API.Example.Test", "exact")]            // DNS names compare case-insensitively
    [InlineData("www.example.test", "wildcard")]         // one label under the wildcard
    [InlineData("a.b.example.test", "default")]          // two labels: a wildcard covers one
    [InlineData("example.test", "default")]              // nor the apex
    [InlineData("localhost", "default")]                 // one label: no wildcard to try
    [InlineData("", "default")]
    [InlineData(null, "default")]                        // no SNI
    public void The_Name_Then_Its_Wildcard_Then_The_Default(string? serverName, string expected)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["api.example.test"] = "exact", ["*.example.test"] = "wildcard" };
        Assert.Equal(expected, ServerNameLookup.Resolve(serverName, n => map.GetValueOrDefault(n), "default"));
        Assert.Null(ServerNameLookup.WildcardFor("localhost"));
        Assert.Equal("*.example.test", ServerNameLookup.WildcardFor("api.example.test"));
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls13)]
    [InlineData(ProtocolVersion.Tls12)]
    public void A_Certificate_Naming_The_Host_Beats_An_Earlier_Wildcard_One(ProtocolVersion version)
    {
        var wildcard = Pair.Pki.Issue(KeyKind.EcdsaP256, ["*.example.test"]);
        var exact = Pair.Pki.Issue(KeyKind.EcdsaP256, ["api.example.test"]);
        var other = Pair.Pki.Issue(KeyKind.EcdsaP256, ["other.test"]);
        var server = Pair.Server(wildcard, other, exact);
        foreach (var (host, expected) in new[] { ("api.example.test", exact), ("www.example.test", wildcard), ("other.test", other) })
        {
            var (c, s) = Pair.Connect(Pair.Client() with { MaxVersion = version }, server, host);
            using (c)
            using (s) Assert.Same(expected, s.LocalCertificate);
        }
    }
}
