using System.Text;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Pki;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// Groups from the command line and against browsers and other stacks. X25519MLKEM768: headless Chromium negotiates it
/// with `tessera serve --http` (the page names the group); OpenSSL 3.0 and GnuTLS, which lack it, get X25519 without a
/// HelloRetryRequest, and so does `tessera connect` against OpenSSL's server. P-521 and X448: `tessera connect
/// --groups` against `openssl s_server -groups`, and `openssl s_client -groups` against `tessera serve` (which accepts
/// them by default), TLS 1.3 and 1.2. TLS 1.2 uses an RSA certificate, so that no ECDSA certificate's curve has to be
/// offered beside the group under test.
/// </summary>
[Collection("tessera home")]
public sealed class GroupCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static (string Cert, string Key) Pair(KeyType type)
    {
        TestHome.Ensure();
        var prefix = Path.Combine(TestHome.Path, $"groups-{type}");
        if (!File.Exists(prefix + ".pem"))
        {
            var (chain, key, _) = LocalCa.OpenOrCreateDev().Issue(["localhost"], client: false, days: 30, type);
            File.WriteAllText(prefix + ".key", key);
            File.WriteAllText(prefix + ".pem", chain);
        }
        return (prefix + ".pem", prefix + ".key");
    }

    [Theory]
    [InlineData("secp521r1", "P-521", "-tls1_3")]
    [InlineData("p-521", "P-521", "-tls1_2")]
    [InlineData("x448", "X448", "-tls1_3")]
    [InlineData("X448", "X448", "-tls1_2")]
    public async Task Connect_With_Groups_Completes_Against_OpenSsl(string name, string openssl, string flag)
    {
        var (cert, key) = Pair(flag == "-tls1_2" ? KeyType.Rsa2048 : KeyType.EcdsaP256);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} {flag} -groups {openssl} -cert {cert} -key {key} -cert_chain {Path.Combine(TestHome.Path, "ca", "intermediate.pem")} -naccept 1");
        await server.WaitForAsync("ACCEPT", Timeout);
        var console = new RecordingConsole();
        var errors = new StringWriter();
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        var settings = new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Groups = name,
            Quiet = true,
        };
        var exit = await ConnectCommand.RunAsync(settings, console.Console, errors, input, output, CancellationToken.None).WaitAsync(Timeout);
        Assert.True(exit == ExitCodes.Success, errors.ToString() + console.Text);
        var text = console.Text + Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains(flag == "-tls1_3" ? "TLS 1.3" : "TLS 1.2", text, StringComparison.Ordinal);
        Assert.Contains(openssl == "X448" ? "x448" : "secp521r1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P-521", "-tls1_3", "secp521r1")]
    [InlineData("P-521", "-tls1_2", "secp521r1")]
    [InlineData("X448", "-tls1_3", "x448")]
    [InlineData("X448", "-tls1_2", "x448")]
    public async Task OpenSsl_With_Groups_Completes_Against_Tessera_Serve(string openssl, string flag, string logged)
    {
        var (cert, key) = Pair(flag == "-tls1_2" ? KeyType.Rsa2048 : KeyType.EcdsaP256);
        await using var serve = ServeFixture.Start(new ServeSettings { CertFile = cert, KeyFile = key });
        using var client = Proc.Start("openssl", $"s_client -connect 127.0.0.1:{serve.Port} -servername localhost {flag} -groups {openssl} -CAfile {TestHome.DevRoot} -verify_return_error");
        client.StandardInput.Close();   // s_client completes the handshake, then ends at end of input
        await client.ExitAsync(Timeout);
        Assert.Contains("Verify return code: 0 (ok)", client.Output, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow + Timeout;
        while (!serve.Log.Contains($" {logged} ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {logged} handshake in the serve log:\n{serve.Log}\n{client.Output}");
            await Task.Delay(50);
        }
        Assert.Contains(flag == "-tls1_3" ? "TLS1.3" : "TLS1.2", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_Negotiates_X25519MLKEM768_With_Tessera_Serve_Http()
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Mode = ServeMode.Http });
        var page = await HeadlessChromium.DumpDomAsync($"https://127.0.0.1:{serve.Port}/", TimeSpan.FromSeconds(90));
        Assert.Contains("version: TLS1.3", page, StringComparison.Ordinal);
        Assert.Contains("key exchange: X25519MLKEM768", page, StringComparison.Ordinal);
        Assert.Contains("hello retry request: no", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openssl")]
    [InlineData("gnutls-cli")]
    public async Task Clients_Without_The_Hybrid_Get_X25519_From_Tessera_Serve_Without_HelloRetryRequest(string peer)
    {
        TestHome.Ensure();
        await using var serve = ServeFixture.Start();
        using var client = peer == "openssl"
            ? Proc.Start("openssl", $"s_client -connect 127.0.0.1:{serve.Port} -servername localhost -tls1_3 -CAfile {TestHome.DevRoot} -verify_return_error")
            : Proc.Start("gnutls-cli", $"-p {serve.Port} --x509cafile {TestHome.DevRoot} --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 127.0.0.1");
        client.StandardInput.Close();   // both complete the handshake, then end at end of input
        await client.ExitAsync(Timeout);
        var deadline = DateTime.UtcNow + Timeout;
        while (!serve.Log.Contains("TLS1.3 ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no handshake in the serve log:\n{serve.Log}\n{client.Output}");
            await Task.Delay(50);
        }
        Assert.Contains(" x25519 hrr=no ", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_By_Default_Gets_X25519_From_OpenSsl_Without_HelloRetryRequest()
    {
        var (cert, key) = Pair(KeyType.EcdsaP256);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -tls1_3 -cert {cert} -key {key} -cert_chain {Path.Combine(TestHome.Path, "ca", "intermediate.pem")} -naccept 1");
        await server.WaitForAsync("ACCEPT", Timeout);
        var (exit, json, errors) = await ConnectJsonAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
        });
        Assert.True(exit == ExitCodes.Success, errors + json);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var connection = doc.RootElement.GetProperty("connections")[0];
        Assert.Equal("x25519", connection.GetProperty("group").GetString());
        Assert.False(connection.GetProperty("hello_retry_request").GetBoolean());
    }

    [Theory]
    [InlineData("X25519MLKEM768", "X25519MLKEM768")]
    [InlineData("mlkem768,x25519", "X25519MLKEM768")]
    public async Task Connect_With_The_Hybrid_Group_Completes_Against_Tessera_Serve(string groups, string expected)
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Groups = "x25519mlkem768,x25519" });
        var (exit, json, errors) = await ConnectJsonAsync(new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", serve.Port),
            ServerName = "localhost",
            CaFile = TestHome.DevRoot,
            Groups = groups,
        });
        Assert.True(exit == ExitCodes.Success, errors + json);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var connection = doc.RootElement.GetProperty("connections")[0];
        Assert.Equal(expected, connection.GetProperty("group").GetString());
        Assert.False(connection.GetProperty("hello_retry_request").GetBoolean());
        Assert.Contains(" X25519MLKEM768 hrr=no ", serve.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Hybrid_Alone_With_Tls12_Only_Is_A_Usage_Error()
    {
        TestHome.Ensure();
        var errors = new StringWriter();
        var exit = await ServeCommand.RunAsync(new ServeSettings { Groups = "X25519MLKEM768", Tls12Only = true, Listen = new Endpoint("127.0.0.1", 0) },
            TextWriter.Null, errors, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("TLS 1.3 only", errors.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Json, string Errors)> ConnectJsonAsync(ConnectSettings settings)
    {
        TestHome.Ensure();
        var console = new RecordingConsole();
        var errors = new StringWriter();
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        var exit = await ConnectCommand.RunAsync(settings with { Json = true, Quiet = true }, console.Console, errors, input, output, CancellationToken.None)
            .WaitAsync(Timeout);
        return (exit, console.Text, errors.ToString());
    }
}
