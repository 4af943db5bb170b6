using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>
/// dns-01 through the exec hook: a script that sets and clears the TXT record with pebble-challtestsrv's management
/// API (Pebble's DNS), for a name and its wildcard; and a hook that fails, reported with what it said.
/// </summary>
public sealed class Dns01Tests : IClassFixture<PebbleFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly Pebble _pebble;

    public Dns01Tests(PebbleFixture fixture) => _pebble = fixture.Pebble;

    [Fact]
    public async Task A_Name_And_Its_Wildcard_Are_Issued_With_Dns01_Through_The_Exec_Hook()
    {
        var hook = Script("challtestsrv-hook.sh", $$"""
            #!/bin/sh
            set -e
            echo "$1 $2 $3 $ACME_TXT_NAME $ACME_TXT_VALUE" >> "{{_pebble.Folder}}/hook.log"
            case "$1" in
              present) curl -sf -X POST -d "{\"host\":\"$2\",\"value\":\"$3\"}" http://127.0.0.1:{{_pebble.ChallengeManagementPort}}/set-txt ;;
              cleanup) curl -sf -X POST -d "{\"host\":\"$2\"}" http://127.0.0.1:{{_pebble.ChallengeManagementPort}}/clear-txt ;;
            esac
            """);
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        using var certificateKey = CaKey.Create(KeyType.Rsa2048);

        var issued = await client.IssueAsync(["dns.test.example", "*.dns.test.example"], new Dns01Solver(new ExecDns01Provider(hook)), certificateKey).WaitAsync(Timeout);

        var names = Assert.Single(issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>()).EnumerateDnsNames().Order(StringComparer.Ordinal);
        Assert.Equal(["*.dns.test.example", "dns.test.example"], names);
        await IssuedChecks.VerifyUnderPebblesRootAsync(_pebble, issued, "www.dns.test.example");   // covered by the wildcard
        var log = File.ReadAllLines(Path.Combine(_pebble.Folder, "hook.log"));
        Assert.Equal(4, log.Length);   // present and cleanup for each of the two authorizations
        Assert.All(log, line => Assert.Contains("_acme-challenge.dns.test.example.", line, StringComparison.Ordinal));
        Assert.StartsWith("present ", log[0], StringComparison.Ordinal);
        Assert.StartsWith("cleanup ", log[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Hook_That_Fails_Is_Reported_With_Its_Exit_Code_And_What_It_Said()
    {
        var hook = Script("failing-hook.sh", "#!/bin/sh\necho \"zone example not managed here\" >&2\nexit 3\n");
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var e = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["hook.test.example"], new Dns01Solver(new ExecDns01Provider(hook)), certificateKey).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Configuration, e.Failure);
        Assert.Equal($"the dns-01 hook {hook} present _acme-challenge.hook.test.example. exited with 3: zone example not managed here", e.Message);
    }

    private string Script(string name, string text)
    {
        var path = Path.Combine(_pebble.Folder, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
