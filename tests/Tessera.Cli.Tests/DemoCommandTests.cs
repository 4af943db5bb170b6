using Tessera.Cli.Commands;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_RunsEveryScenario_AndExplainsEachMessage()
    {
        var output = new RecordingConsole();
        var exit = await DemoCommand.RunAsync(output.Console, [], showFields: true, CancellationToken.None);
        var text = output.Text;

        Assert.Equal(0, exit);
        Assert.DoesNotContain("failed", text, StringComparison.Ordinal);
        // Every scenario completed and echoed its line.
        Assert.Equal(5, Count(text, "echoed: hello from the Tessera demo"));
        Assert.Contains("resumed            │ yes", text, StringComparison.Ordinal);
        Assert.Contains("ServerKeyExchange", text, StringComparison.Ordinal);
        Assert.Contains("version            │ TLS 1.2", text, StringComparison.Ordinal);
        Assert.Contains("proving it holds the certificate's private key", text, StringComparison.Ordinal);
        Assert.Contains("HelloRetryRequest: the server wants a key share for another group", text, StringComparison.Ordinal);
        Assert.Contains("client certificate │ CN=demo-client", text, StringComparison.Ordinal);
        Assert.Contains("TLS_AES_128_GCM_SHA256", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Only_RunsTheNamedScenario()
    {
        var output = new RecordingConsole();
        var exit = await DemoCommand.RunAsync(output.Console, ["mtls"], showFields: false, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(1, Count(output.Text, "echoed:"));
        Assert.Contains("mutual TLS", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("verify_data:", output.Text, StringComparison.Ordinal);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
