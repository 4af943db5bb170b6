using System.Net;
using Tessera.Certificates;
using Xunit;

namespace Tessera.Tests.Certificates;

/// <summary>RFC 9525 matching of a host against a certificate's DNS and IP names (the verifier's check, without a chain).</summary>
public sealed class HostnameMatcherTests
{
    [Theory]
    [InlineData("example.test", "example.test", true)]
    [InlineData("EXAMPLE.Test.", "example.test", true)]          // case and a trailing dot do not matter
    [InlineData("www.example.test", "*.example.test", true)]
    [InlineData("example.test", "*.example.test", false)]        // the wildcard is one whole label
    [InlineData("a.b.example.test", "*.example.test", false)]
    [InlineData("www.test", "*.test", false)]                    // at least two labels after the wildcard
    [InlineData("bücher.example", "xn--bcher-kva.example", true)] // IDNs compare as A-labels
    [InlineData("cafe.de", "cafe.de", true)]                     // hex letters only: parsed as an IP first, then a name
    [InlineData("a..b.test", "a..b.test", false)]                // not a host name at all
    public void Dns_Names(string host, string presented, bool matches) =>
        Assert.Equal(matches, HostnameMatcher.Matches([presented], [], host, out _));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("::1", true)]
    [InlineData("0x7f000001", true)]      // IPAddress.TryParse's hexadecimal form of 127.0.0.1 is still an address
    [InlineData("127.0.0.2", false)]
    public void Ip_Literals_Match_Ip_Names_Only(string host, bool matches)
    {
        IPAddress[] ips = [IPAddress.Parse("127.0.0.1"), IPAddress.IPv6Loopback];
        Assert.Equal(matches, HostnameMatcher.Matches([], ips, host, out _));
        // A DNS name spelling the address never stands for it (RFC 9525 §6.2).
        Assert.False(HostnameMatcher.Matches([host.Trim('[', ']')], [], host, out _));
    }

    [Fact]
    public void A_Name_Longer_Than_Any_Dns_Name_Matches_Nothing_Not_Even_Itself()
    {
        var label = new string('a', 60);
        var tooLong = string.Join('.', label, label, label, label, label) + ".test";   // 311 characters
        Assert.False(HostnameMatcher.Matches([tooLong], [], tooLong, out _));
        var longest = string.Join('.', label, label, label, "test");                   // 187 characters: a valid name
        Assert.True(HostnameMatcher.Matches([longest], [], longest.ToUpperInvariant(), out _));
    }

    [Fact]
    public void The_Names_For_The_Error_List_Dns_Then_Ip()
    {
        Assert.False(HostnameMatcher.Matches(["a.test", "b.test"], [IPAddress.Parse("192.0.2.1")], "c.test", out var names));
        Assert.Equal(["a.test", "b.test", "192.0.2.1"], names);
    }
}
