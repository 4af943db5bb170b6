using System.Text.RegularExpressions;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// The README's private PKI with automatic renewal, as commands: `ca init`, `ca serve`, `acme issue --profile
/// shortlived` against it, `acme renew` (not due), `ca ari advance`, `acme renew` (renews, ARI says so); and the CA's
/// records: a revocation recorded once however often it is asked, `ca inspect` listing a CRL's serials, `ca inspect
/// --crl` and `connect --crl` refusing the revoked certificate, `ca sign` that refuses to overwrite recording nothing.
/// </summary>
public sealed partial class CaServeCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-ca-serve-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int ExitCode, string Output)> RunAsync(string arguments)
    {
        using var p = Proc.Tessera(arguments);
        var exit = await p.ExitAsync(Timeout);
        return (exit, p.Output);
    }

    [Fact]
    public async Task Init_Serve_Issue_Advance_And_Renew()
    {
        var ca = Path.Combine(_folder, "ca");
        var store = Path.Combine(_folder, "store");
        var httpPort = Ports.Free();
        Assert.Equal(0, (await RunAsync($"ca init --dir {ca} --name \"Team PKI\"")).ExitCode);
        using var serve = Proc.Tessera($"ca serve --dir {ca} --listen 127.0.0.1:0 --http-port {httpPort} --resolve app.team.test=127.0.0.1");
        await serve.WaitForAsync("ACME directory at ", Timeout);
        var directory = DirectoryPattern().Match(serve.Output).Groups[1].Value;

        var issue = await RunAsync($"acme issue app.team.test --directory {directory} --ca {ca}/root.pem --store {store} --agree-tos --http-port {httpPort} --profile shortlived --out {_folder}/app");
        Assert.True(issue.ExitCode == 0, issue.Output + serve.Output);
        var serial = SerialPattern().Match(issue.Output).Groups[1].Value;
        using (var verify = Proc.Start("openssl", $"verify -CAfile {ca}/root.pem -untrusted {ca}/intermediate.pem {_folder}/app.pem"))
            Assert.Equal(0, await verify.ExitAsync(Timeout));
        using (var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync($"{_folder}/app.pem")))
            Assert.InRange(leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(5.9), TimeSpan.FromDays(6.1));

        var notDue = await RunAsync($"acme renew --directory {directory} --ca {ca}/root.pem --store {store} --http-port {httpPort}");
        Assert.True(notDue.ExitCode == 0, notDue.Output);
        Assert.Contains("app.team.test: not yet", notDue.Output, StringComparison.Ordinal);

        var advance = await RunAsync($"ca ari advance {serial} --dir {ca}");
        Assert.True(advance.ExitCode == 0, advance.Output);
        var renew = await RunAsync($"acme renew --directory {directory} --ca {ca}/root.pem --store {store} --http-port {httpPort}");
        Assert.True(renew.ExitCode == 0, renew.Output + serve.Output);
        Assert.Contains("app.team.test: renewing: ", renew.Output, StringComparison.Ordinal);
        Assert.Contains($"replacing ", serve.Output, StringComparison.Ordinal);
        Assert.Contains("(shortlived, until", serve.Output, StringComparison.Ordinal);

        var unknown = await RunAsync($"ca ari advance 0123 --dir {ca}");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("issued no certificate with serial 0123", unknown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocations_Are_Recorded_Once_Listed_By_Inspect_And_Refused_With_Crl()
    {
        var ca = Path.Combine(_folder, "ca");
        Assert.Equal(0, (await RunAsync($"ca init --dir {ca} --crl-url http://crl.team.test/crl")).ExitCode);
        var issue = await RunAsync($"ca issue localhost --dir {ca} --out {_folder}/leaf");
        var serial = SerialPattern().Match(issue.Output).Groups[1].Value;
        Assert.Contains("revoked ", (await RunAsync($"ca revoke {serial} --dir {ca}")).Output, StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var again = await RunAsync($"ca revoke {serial} --dir {ca}");
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("was already revoked; nothing changed", again.Output, StringComparison.Ordinal);
        }
        Assert.Equal(0, (await RunAsync($"ca crl --dir {ca}")).ExitCode);
        var listed = await RunAsync($"ca inspect {ca}/crl.pem");
        Assert.Contains("1 revoked:", listed.Output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(listed.Output, $"serial {serial}"));

        var withoutCrl = await RunAsync($"ca inspect {_folder}/leaf.pem --ca {ca}/root.pem");
        Assert.Equal(0, withoutCrl.ExitCode);
        var withCrl = await RunAsync($"ca inspect {_folder}/leaf.pem --ca {ca}/root.pem --crl {ca}/crl.pem");
        Assert.Equal(5, withCrl.ExitCode);
        Assert.Contains("revoked according to the CRL", withCrl.Output.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        using (var text = Proc.Start("openssl", $"x509 -in {_folder}/leaf.pem -noout -ext crlDistributionPoints"))
        {
            await text.ExitAsync(Timeout);
            Assert.Contains("URI:http://crl.team.test/crl", text.Output, StringComparison.Ordinal);
        }

        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {_folder}/leaf.pem -key {_folder}/leaf.key -cert_chain {ca}/intermediate.pem -www -quiet");
        using (await Ports.ConnectAsync(port, Timeout)) { }
        var refused = await RunAsync($"connect 127.0.0.1:{port} --servername localhost --ca {ca}/root.pem --crl {ca}/crl.pem --quiet");
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("revoked", refused.Output, StringComparison.Ordinal);
        var accepted = await RunAsync($"connect 127.0.0.1:{port} --servername localhost --ca {ca}/root.pem --quiet");
        Assert.True(accepted.ExitCode == 0, accepted.Output);
    }

    [Fact]
    public async Task Sign_That_Refuses_To_Overwrite_Records_Nothing()
    {
        var ca = Path.Combine(_folder, "ca");
        Assert.Equal(0, (await RunAsync($"ca init --dir {ca}")).ExitCode);
        Assert.Equal(0, (await RunAsync($"ca csr kept.test --out {_folder}/kept")).ExitCode);
        await File.WriteAllTextAsync($"{_folder}/kept.pem", "someone's file\n");
        var refused = await RunAsync($"ca sign {_folder}/kept.csr --dir {ca}");
        Assert.Equal(6, refused.ExitCode);
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(ca, "issued.txt")));
        Assert.Equal("someone's file\n", await File.ReadAllTextAsync($"{_folder}/kept.pem"));
    }

    [GeneratedRegex(@"ACME directory at (\S+)")]
    private static partial Regex DirectoryPattern();

    [GeneratedRegex(@"serial ([0-9a-f]+)")]
    private static partial Regex SerialPattern();
}

/// <summary>`tessera proxy --dry-run`: the configuration checked, one line per site, nothing listened on or ordered.</summary>
[Collection("tessera home")]
public sealed class ProxyDryRunTests
{
    [Fact]
    public async Task An_Acme_Site_Without_A_Stored_Certificate_Would_Be_Ordered_And_A_Bad_Flag_Is_Named()
    {
        using (var dry = Proc.Tessera("proxy --dry-run --listen 127.0.0.1:0 --backend 127.0.0.1:9 --acme https://127.0.0.1:9/directory --server-name dry.test.example"))
        {
            Assert.Equal(0, await dry.ExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("site 'default' on 127.0.0.1:0: dry.test.example from https://127.0.0.1:9/directory by tls-alpn-01: nothing valid is stored", dry.Output, StringComparison.Ordinal);
        }
        using var bad = Proc.Tessera("proxy --dry-run --listen 127.0.0.1:0 --backend 127.0.0.1:9 --acme https://127.0.0.1:9/directory --server-name dry.test.example --acme-challenge http-01");
        Assert.Equal(2, await bad.ExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--acme-challenge is http-01, which needs the proxy's plain-HTTP listener", bad.Output, StringComparison.Ordinal);
    }
}
