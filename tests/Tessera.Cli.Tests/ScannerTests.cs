using System.Text.RegularExpressions;
using Tessera.Cli.Commands;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// sslscan and testssl.sh, run against `tessera serve` the way an operator would, must see TLS 1.2 (their TLS 1.2
/// probes send no extended_master_secret) as well as TLS 1.3, and testssl.sh must see resumption.
/// </summary>
[Collection("tessera home")]
public sealed partial class ScannerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Sslscan_Lists_Tls12_And_Tls13_AsEnabled()
    {
        await using var serve = ServeFixture.Start();
        using var scan = Proc.Start("sslscan", $"--no-colour 127.0.0.1:{serve.Port}");
        Assert.Equal(0, await scan.ExitAsync(Timeout));
        Assert.Matches(Enabled("TLSv1\\.2"), scan.Output);
        Assert.Matches(Enabled("TLSv1\\.3"), scan.Output);
        Assert.Matches(new Regex(@"^TLSv1\.1\s+disabled", RegexOptions.Multiline), scan.Output);
        Assert.Matches(new Regex(@"(Preferred|Accepted)\s+TLSv1\.2\s+\d+ bits\s+ECDHE-ECDSA-AES128-GCM-SHA256", RegexOptions.Multiline), scan.Output);
    }

    [Fact]
    public async Task TestSsl_Sees_Tls12_Offered_AndTicketsAndSessionIds()
    {
        await using var serve = ServeFixture.Start();
        // -p: protocols, -S: server defaults (resumption among them). No colour, no interactive warnings.
        using var scan = Proc.Start("testssl", $"--quiet --color 0 --warnings off -p -S 127.0.0.1:{serve.Port}");
        await scan.ExitAsync(Timeout);   // its exit code counts findings, not failures of the tool
        Assert.Matches(new Regex(@"TLS 1\.2\s+offered", RegexOptions.Multiline), scan.Output);
        Assert.Matches(new Regex(@"TLS 1\.3\s+offered", RegexOptions.Multiline), scan.Output);
        Assert.Matches(new Regex(@"Session Resumption\s+Tickets: yes, ID: yes", RegexOptions.Multiline), scan.Output);
        Assert.DoesNotMatch(new Regex(@"TLS 1\.1\s+offered", RegexOptions.Multiline), scan.Output);
    }

    private static Regex Enabled(string version) => new($"^{version}\\s+enabled", RegexOptions.Multiline);
}
