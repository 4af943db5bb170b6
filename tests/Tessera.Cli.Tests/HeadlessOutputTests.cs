using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// The output people read, checked headless at a fixed width (100 columns) against committed expectations with
/// timings and random values masked. Set TESSERA_UPDATE_EXPECTED=1 to rewrite the expectations after a deliberate change.
/// </summary>
[Collection("tessera home")]
public sealed class HeadlessOutputTests
{
    private static string ExpectedPath(string name) =>
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Expected", name);

    private static void Compare(string name, string actual)
    {
        var masked = OutputMask.Apply(actual);
        var path = ExpectedPath(name);
        if (Environment.GetEnvironmentVariable("TESSERA_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(path, masked);
            return;
        }
        Assert.True(File.Exists(path), $"missing expectation {path}; run with TESSERA_UPDATE_EXPECTED=1 once and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), masked);
    }

    [Fact]
    public async Task Demo_ReadsAsExpected()
    {
        var console = new RecordingConsole(width: 100);
        Assert.Equal(0, await DemoCommand.RunAsync(console.Console, ["full", "tls12"], showFields: false, CancellationToken.None));
        Compare("demo.txt", console.Text);
    }

    [Fact]
    public async Task Connect_ReadsAsExpected()
    {
        TestHome.Ensure();
        await using var serve = ServeFixture.Start();
        var console = new RecordingConsole(width: 100);
        var errors = new StringWriter();
        ConnectCommand.ForgetFirstHandshakeForTests();   // the output marks the first handshake of a process
        var exit = await ConnectCommand.RunAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", serve.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Quiet = true,
            Groups = "x25519",
        }, console.Console, errors, Stream.Null, Stream.Null, CancellationToken.None);
        Assert.True(exit == 0, errors.ToString());
        Compare("connect.txt", console.Text);
    }
}
