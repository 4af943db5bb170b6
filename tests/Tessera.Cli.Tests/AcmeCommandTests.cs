using System.Text.Json;
using Tessera.Acme.Tests.Support;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// `tessera acme` against Pebble, as an operator runs it: issue with http-01 (creating the account), serve the result
/// with `tessera serve` and connect with `openssl s_client` trusting Pebble's root, list, renew (not due, then
/// --force), revoke; and the sentences for a missing --agree-tos and a bad --challenge.
/// </summary>
[Collection("tessera home")]
public sealed class AcmeCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly Pebble _pebble = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-acme-cli-").FullName;

    public void Dispose()
    {
        _pebble.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string HttpsRoot
    {
        get
        {
            var path = Path.Combine(_folder, "pebble-https-root.pem");
            if (!File.Exists(path)) File.WriteAllText(path, string.Concat(_pebble.Trust.Roots.Cast<System.Security.Cryptography.X509Certificates.X509Certificate2>().Select(r => r.ExportCertificatePem() + "\n")));
            return path;
        }
    }

    private string Common => $"--directory {_pebble.Directory} --ca {HttpsRoot} --store {Path.Combine(_folder, "store")}";

    private static async Task<(int ExitCode, string Output)> RunAsync(string arguments)
    {
        using var p = Proc.Tessera(arguments);
        var exit = await p.ExitAsync(Timeout);
        return (exit, p.Output);
    }

    [Fact]
    public async Task Issue_Serve_Connect_List_Renew_And_Revoke()
    {
        var prefix = Path.Combine(_folder, "site");
        var issue = await RunAsync($"acme issue acme-cli.test.example {Common} --agree-tos --email ops@test.example --http-port {_pebble.HttpPort} --out {prefix} --json");
        {
            Assert.True(issue.ExitCode == 0, issue.Output);
            // Progress went to stderr (Proc merges both streams, so the JSON is the one line that starts with '{').
            Assert.Contains("  answering http-01 for acme-cli.test.example", issue.Output, StringComparison.Ordinal);
            Assert.Contains("  acme-cli.test.example validated", issue.Output, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(issue.Output.Split('\n').Single(l => l.StartsWith('{')));
            Assert.Equal("acme-cli.test.example", doc.RootElement.GetProperty("names")[0].GetString());
            Assert.Equal(prefix + ".pem", doc.RootElement.GetProperty("certificate_file").GetString());
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));

        // tessera serve with the ACME certificate; openssl s_client trusting Pebble's issuing root verifies it.
        var root = Path.Combine(_folder, "pebble-root.pem");
        File.WriteAllText(root, await _pebble.RootPemAsync());
        await using (var serve = ServeFixture.Start(new ServeSettings { CertFile = prefix + ".pem", KeyFile = prefix + ".key" }))
        {
            using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{serve.Port} -servername acme-cli.test.example -CAfile {root} -verify_return_error -brief");
            client.StandardInput.Close();
            await client.WaitForExitAsync(Timeout);
            Assert.Contains("Verification: OK", client.AllOutput, StringComparison.Ordinal);
        }

        var list = await RunAsync($"acme list {Common}");
            Assert.Contains("acme-cli.test.example  valid until", list.Output, StringComparison.Ordinal);
        var renew = await RunAsync($"acme renew {Common} --http-port {_pebble.HttpPort}");
        {
            Assert.True(renew.ExitCode == 0, renew.Output);
            Assert.Contains("acme-cli.test.example: not yet: due at two thirds of its lifetime", renew.Output, StringComparison.Ordinal);
        }
        var forced = await RunAsync($"acme renew {Common} --http-port {_pebble.HttpPort} --force");
        {
            Assert.True(forced.ExitCode == 0, forced.Output);
            Assert.Contains("acme-cli.test.example: renewing: --force", forced.Output, StringComparison.Ordinal);
            Assert.Contains("issued acme-cli.test.example", forced.Output, StringComparison.Ordinal);
        }
        var revoke = await RunAsync($"acme revoke acme-cli.test.example {Common} --reason 4");
        {
            Assert.True(revoke.ExitCode == 0, revoke.Output);
            Assert.StartsWith("revoked acme-cli.test.example (serial ", revoke.Output, StringComparison.Ordinal);
        }
        var again = await RunAsync($"acme revoke acme-cli.test.example {Common}");
        {
            Assert.Equal(ExitCodes.AcmeRefused, again.ExitCode);
            Assert.Contains("tessera acme: the CA refused (alreadyRevoked)", again.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Account_Create_Rollover_Show_And_Deactivate()
    {
        var created = await RunAsync($"acme account create {Common} --agree-tos --email a@test.example --json");
        Assert.True(created.ExitCode == 0, created.Output);
        using var doc = JsonDocument.Parse(created.Output);
        var url = doc.RootElement.GetProperty("url").GetString();
        Assert.Equal("mailto:a@test.example", doc.RootElement.GetProperty("contact")[0].GetString());
        var keyFile = Directory.GetFiles(Path.Combine(_folder, "store"), "account.key", SearchOption.AllDirectories).Single();
        var before = File.ReadAllText(keyFile);

        var rolled = await RunAsync($"acme account rollover {Common}");
        Assert.True(rolled.ExitCode == 0, rolled.Output);
        Assert.Equal($"account {url} now signs with a new key", rolled.Output.Trim());
        Assert.NotEqual(before, File.ReadAllText(keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        var shown = await RunAsync($"acme account show {Common}");
        Assert.Equal($"account {url} valid mailto:a@test.example", shown.Output.Trim());
        var deactivated = await RunAsync($"acme account deactivate {Common}");
        Assert.Equal($"account {url} deactivated mailto:a@test.example", deactivated.Output.Trim());
        var after = await RunAsync($"acme account show {Common}");
        Assert.Equal(ExitCodes.AcmeRefused, after.ExitCode);
        Assert.Contains("tessera acme: the CA refused (unauthorized)", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Agree_Tos_No_Account_Is_Made_And_A_Bad_Challenge_Is_Named()
    {
        var refused = await RunAsync($"acme issue noterms.test.example {Common} --http-port {_pebble.HttpPort}");
        {
            Assert.Equal(ExitCodes.Usage, refused.ExitCode);
            Assert.Contains("tessera: creating an account means agreeing to the CA's terms of service (data:text/plain,", refused.Output, StringComparison.Ordinal);
            Assert.Contains("): add --agree-tos", refused.Output, StringComparison.Ordinal);
        }
        var challenge = await RunAsync($"acme issue x.test.example {Common} --agree-tos --challenge smtp-01");
        {
            Assert.Equal(ExitCodes.Usage, challenge.ExitCode);
            Assert.Contains("--challenge must be http-01, tls-alpn-01 or dns-01, not 'smtp-01'", challenge.Output, StringComparison.Ordinal);
        }
        var show = await RunAsync($"acme account show {Common}");
        {
            Assert.Equal(0, show.ExitCode);   // the second run created the account before it looked at --challenge
            Assert.StartsWith("account https://127.0.0.1:", show.Output, StringComparison.Ordinal);
        }
    }
}
