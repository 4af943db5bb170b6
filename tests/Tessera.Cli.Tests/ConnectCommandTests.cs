using System.Text;
using System.Text.Json;
using Tessera.Cli.Cli;
using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>`tessera connect` against `tessera serve` and `openssl s_server`: the trace, JSON, resumption, key log and exit codes.</summary>
[Collection("tessera home")]
public sealed class ConnectCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(int Exit, string Output, string Errors)> ConnectAsync(ConnectSettings settings, string stdin = "")
    {
        TestHome.Ensure();
        var console = new RecordingConsole();
        var errors = new StringWriter();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        var exit = await ConnectCommand.RunAsync(settings, console.Console, errors, input, output, CancellationToken.None).WaitAsync(Timeout);
        return (exit, console.Text + Encoding.UTF8.GetString(output.ToArray()), errors.ToString());
    }

    private static ConnectSettings To(int port, params string[] _) => new()
    {
        Target = new Endpoint("127.0.0.1", port),
        ServerName = "localhost",
        CaFile = TestHome.DevRoot,
        Quiet = true,
    };

    private static string Intermediate => Path.Combine(TestHome.Path, "ca", "intermediate.pem");

    private static void AssertInOrder(string text, params string[] items)
    {
        var at = 0;
        foreach (var item in items)
        {
            var next = text.IndexOf(item, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"'{item}' missing (or out of order) in:\n{text}");
            at = next + item.Length;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connect_To_TesseraServe_PrintsEveryMessageInOrder(bool tls12)
    {
        await using var serve = ServeFixture.Start();
        var (exit, text, _) = await ConnectAsync(To(serve.Port) with { Tls12Only = tls12 });
        Assert.Equal(ExitCodes.Success, exit);
        if (tls12)
            AssertInOrder(text, "ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange", "ChangeCipherSpec", "Finished", "Finished", "TLS 1.2");
        else
            AssertInOrder(text, "ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "Finished", "TLS 1.3");
        Assert.Contains("certificate chain: trusted", text, StringComparison.Ordinal);
        Assert.Contains("expires in", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-tls1_3", "EncryptedExtensions")]
    [InlineData("-tls1_2", "ServerKeyExchange")]
    public async Task Connect_To_OpenSslServer_PrintsEveryMessageInOrder(string flag, string distinctive)
    {
        TestHome.Ensure();
        var cert = Path.Combine(TestHome.Path, "openssl-peer");
        await ServeCertificateAsync(cert);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} {flag} -cert {cert}.pem -key {cert}.key -cert_chain {Intermediate} -naccept 1");
        await server.WaitForAsync("ACCEPT", Timeout);
        var (exit, text, errors) = await ConnectAsync(To(port));
        Assert.True(exit == ExitCodes.Success, errors);
        AssertInOrder(text, "ClientHello", "ServerHello", distinctive, "Finished");
    }

    [Fact]
    public async Task Connect_Tls12_To_Go119Server_WithoutExtendedMasterSecret_Succeeds_AndSaysSo()
    {
        // Go before 1.21 has no extended master secret; `connect --tls1.2` refused such servers before.
        var cert = Path.Combine(TestHome.Path, "go-peer");
        await ServeCertificateAsync(cert);
        File.WriteAllText(cert + "-chain.pem", File.ReadAllText(cert + ".pem") + File.ReadAllText(Intermediate));
        using var go = Peer.Start(GoPeer.Path, $"server -cert {cert}-chain.pem -key {cert}.key -version 1.2");
        await go.WaitForOutputAsync("listening ", Timeout);
        var port = int.Parse(go.StdoutText.Split("listening ")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var (exit, text, errors) = await ConnectAsync(To(port) with { Tls12Only = true, Quiet = false }, "hello over tls 1.2\n");
        Assert.True(exit == ExitCodes.Success, errors + text);
        AssertInOrder(text, "ClientHello", "ServerHello", "ServerKeyExchange", "Finished", "TLS 1.2", "extended master secret", "no (not resumable");
        Assert.Contains("hello over tls 1.2", text, StringComparison.Ordinal);   // relayed and echoed by Go
    }

    [Fact]
    public async Task Json_Of_A_Failed_Connect_Is_Still_One_Document_With_The_Error()
    {
        var console = new RecordingConsole();
        var exit = await ConnectCommand.RunAsync(new ConnectSettings { Target = new Endpoint("127.0.0.1", Ports.Free()), Json = true, Quiet = true },
            console.Console, new StringWriter(), new MemoryStream(), new MemoryStream(), CancellationToken.None);
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        using var doc = JsonDocument.Parse(console.Text);
        Assert.Equal(ExitCodes.ConnectionFailed, doc.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
        Assert.Contains("could not connect", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, doc.RootElement.GetProperty("connections").GetArrayLength());
    }

    [Theory]
    [InlineData("https://example.test:8443/path?q=1", "example.test", 8443)]
    [InlineData("https://example.test/", "example.test", 443)]
    [InlineData("https://[::1]:9443/", "::1", 9443)]
    [InlineData("example.test:8443", "example.test", 8443)]
    public void A_Url_Is_A_Target_Too(string text, string host, int port)
    {
        var target = Endpoint.ParseTarget(text, 443);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
    }

    [Fact]
    public void A_Url_Without_A_Tls_Port_Is_A_Usage_Error() =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => Endpoint.ParseTarget("ftp://example.test/")).ExitCode);

    [Fact]
    public async Task Json_IsParseable_AndMatchesTheConnection()
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Alpn = ["h2"] });
        ConnectCommand.ForgetFirstHandshakeForTests();
        var (exit, text, _) = await ConnectAsync(To(serve.Port) with { Json = true, Alpn = ["h2", "http/1.1"], Resume = 1 });
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(text);
        var connections = doc.RootElement.GetProperty("connections");
        Assert.Equal(2, connections.GetArrayLength());
        var first = connections[0];
        Assert.Equal("TLS 1.3", first.GetProperty("version").GetString());
        Assert.Equal("h2", first.GetProperty("alpn").GetString());
        Assert.Equal("X25519MLKEM768", first.GetProperty("group").GetString());   // both sides' default: the post-quantum hybrid
        Assert.False(first.GetProperty("resumed").GetBoolean());
        Assert.True(connections[1].GetProperty("resumed").GetBoolean());
        Assert.Equal("ClientHello", first.GetProperty("messages")[0].GetProperty("name").GetString());
        Assert.Equal("CN=localhost", first.GetProperty("chain")[0].GetProperty("subject").GetString());
        Assert.Equal("ok", doc.RootElement.GetProperty("verification").GetString());
        Assert.Contains("resumed=yes", serve.Log, StringComparison.Ordinal);

        // What made the timings: the tests run under the JIT; the primitives name their libraries and versions.
        var tool = doc.RootElement.GetProperty("tool");
        Assert.Equal("jit", tool.GetProperty("build").GetString());
        Assert.Equal("portable", tool.GetProperty("crypto_provider").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", tool.GetProperty("version").GetString());
        Assert.Matches(@"OpenSSL 3\.\d+\.\d+ libcrypto.*BouncyCastle 2\.\d+\.\d+", tool.GetProperty("primitives").GetString());
        // Only a process's first handshake carries first-use costs; under the JIT they include compilation.
        Assert.True(first.GetProperty("timings_include_first_use").GetBoolean());
        Assert.Contains("JIT compilation", first.GetProperty("first_use").GetString(), StringComparison.Ordinal);
        Assert.False(connections[1].GetProperty("timings_include_first_use").GetBoolean());
        Assert.False(connections[1].TryGetProperty("first_use", out _));
    }

    [Fact]
    public async Task Relay_SendsStdin_AndPrintsTheEcho()
    {
        await using var serve = ServeFixture.Start();
        var (exit, text, errors) = await ConnectAsync(To(serve.Port) with { Quiet = false }, "hello through tessera\n");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.EndsWith("hello through tessera\n", text, StringComparison.Ordinal);
        Assert.Contains("first application byte after", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongHost_IsAVerificationFailure()
    {
        await using var serve = ServeFixture.Start();
        var (exit, _, errors) = await ConnectAsync(To(serve.Port) with { ServerName = "wrong.example" });
        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("name 'wrong.example' is not covered", errors, StringComparison.Ordinal);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task UntrustedCa_IsAVerificationFailure_UnlessInsecure()
    {
        await using var serve = ServeFixture.Start();
        var otherRoot = Path.Combine(TestHome.Path, "other-root.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Other Root", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var root = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherRoot, root.ExportCertificatePem());
        }
        var (exit, _, errors) = await ConnectAsync(To(serve.Port) with { CaFile = otherRoot });
        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("not trusted", errors, StringComparison.Ordinal);

        var (insecureExit, text, warnings) = await ConnectAsync(To(serve.Port) with { CaFile = otherRoot, Insecure = true });
        Assert.Equal(ExitCodes.Success, insecureExit);
        Assert.Contains("WARNING: --insecure", warnings, StringComparison.Ordinal);
        Assert.Contains("certificate chain: refused", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredCertificate_IsAVerificationFailure()
    {
        TestHome.Ensure();
        var prefix = Path.Combine(TestHome.Path, "expired");
        await ExpiredCertificateAsync(prefix);
        await using var serve = ServeFixture.Start(new ServeSettings { CertFile = prefix + ".pem", KeyFile = prefix + ".key" });
        var (exit, _, errors) = await ConnectAsync(To(serve.Port));
        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("expired on", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ed25519Leaf_IsRefusedByTheWebPkiProfile_AndAcceptedWithProfileRfc5280()
    {
        await ServeCertificateAsync(Path.Combine(TestHome.Path, "openssl-peer"));   // makes sure the dev CA exists
        var prefix = Path.Combine(TestHome.Path, "ed25519-leaf");
        using (var issue = Proc.Tessera($"ca issue localhost 127.0.0.1 --key-type ed25519 --force --out {prefix}")) Assert.Equal(0, await issue.ExitAsync(Timeout));
        await using var serve = ServeFixture.Start(new ServeSettings { CertFile = prefix + ".pem", KeyFile = prefix + ".key" });
        var (exit, _, errors) = await ConnectAsync(To(serve.Port));
        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("has a Ed25519 key, which BR §6.1.5 forbids", errors, StringComparison.Ordinal);
        // The sentence names the way out, since the chain passes the RFC 5280 profile.
        Assert.Contains("would pass under the RFC 5280 profile (for a private PKI: --profile rfc5280", errors, StringComparison.Ordinal);
        var (privateExit, output, _) = await ConnectAsync(To(serve.Port) with { Profile = Tessera.Certificates.VerificationProfile.Rfc5280 });
        Assert.Equal(0, privateExit);
        Assert.Contains("Finished", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Self_Signed_Certificate_From_OpenSsl_Req_X509_Is_Accepted_When_Trusted_Directly()
    {
        // `openssl req -x509` makes a self-signed certificate with basicConstraints cA set; curl, OpenSSL and Go accept
        // it as the server's certificate when it is itself the trust anchor (--ca self.pem), and so must Tessera.
        TestHome.Ensure();
        var dir = Directory.CreateTempSubdirectory("tessera-self-signed-").FullName;
        using (var req = Proc.Start("openssl", $"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 10 -keyout {dir}/self.key -out {dir}/self.pem"))
            Assert.Equal(0, await req.ExitAsync(Timeout));
        using (var text = Proc.Start("openssl", $"x509 -in {dir}/self.pem -noout -text"))
        {
            await text.ExitAsync(Timeout);
            Assert.Contains("CA:TRUE", text.Output, StringComparison.Ordinal);   // what made Tessera refuse it before
        }
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -www -cert {dir}/self.pem -key {dir}/self.key -naccept 2");
        await server.WaitForAsync("ACCEPT", Timeout);
        using (var curl = Proc.Start("curl", $"-sS -o /dev/null --cacert {dir}/self.pem https://localhost:{port}/"))
        {
            // curl accepts it: s_server -www answers with its status page.
            Assert.Equal(0, await curl.ExitAsync(Timeout));
        }
        var (exit, output, errors) = await ConnectAsync(To(port) with { CaFile = $"{dir}/self.pem" });
        Assert.True(exit == ExitCodes.Success, errors + output);
    }

    [Fact]
    public async Task ConnectionRefused_IsExitCode3()
    {
        var (exit, _, errors) = await ConnectAsync(To(Ports.Free()));
        Assert.Equal(ExitCodes.ConnectionFailed, exit);
        Assert.StartsWith("tessera connect: could not connect to 127.0.0.1:", errors, StringComparison.Ordinal);
        Assert.Contains("connection refused", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connect", "tessera:")]                       // missing HOST:PORT
    [InlineData("connect example.test", "has no port")]
    [InlineData("connect 127.0.0.1:1 --groups nonsense", "unknown group 'nonsense'")]
    [InlineData("connect 127.0.0.1:1 --tls1.2 --tls1.3", "exclude each other")]
    [InlineData("serve --client-auth maybe", "--client-auth must be")]
    public async Task BadArguments_AreExitCode2_WithOneSentence(string arguments, string expected)
    {
        using var cli = Proc.Tessera(arguments);
        var exit = await cli.ExitAsync(Timeout);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(expected, cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Output, StringComparison.Ordinal);   // never a stack trace
    }

    [Fact]
    public async Task KeyLog_LetsTsharkDecryptTheSession_WithTesseraServe_AndOpenSsl()
    {
        TestHome.Ensure();
        await using var serve = ServeFixture.Start();
        await AssertTsharkDecryptsAsync(serve.Port, "payload via tessera serve");

        var cert = Path.Combine(TestHome.Path, "openssl-peer");
        await ServeCertificateAsync(cert);
        var port = Ports.Free();
        using var server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {cert}.pem -key {cert}.key -cert_chain {Intermediate} -naccept 1");
        await server.WaitForAsync("ACCEPT", Timeout);
        await AssertTsharkDecryptsAsync(port, "payload via openssl");
    }

    private static async Task AssertTsharkDecryptsAsync(int port, string payload)
    {
        var dir = Directory.CreateTempSubdirectory("tessera-keylog-").FullName;
        var capture = Path.Combine(dir, "capture.pcapng");
        var keylog = Path.Combine(dir, "keys.txt");
        using (var tshark = Proc.Start("tshark", $"-i lo -f \"tcp port {port}\" -w {capture}"))
        {
            await tshark.WaitForAsync("Capturing on", Timeout);
            await Task.Delay(500);   // the capture filter is live shortly after the banner
            var (exit, _, errors) = await ConnectAsync(To(port) with { Quiet = false, KeyLogFile = keylog }, payload + "\n");
            Assert.True(exit == ExitCodes.Success, errors);
            await Task.Delay(500);
            await tshark.StopGracefullyAsync(Timeout);
        }
        Assert.True(File.Exists(keylog));
        using var read = Proc.Start("tshark", $"-r {capture} -o tls.keylog_file:{keylog} -Y tls.app_data -T fields -e data.data");
        await read.ExitAsync(Timeout);
        Assert.Contains(Convert.ToHexStringLower(Encoding.ASCII.GetBytes(payload)), read.Output, StringComparison.Ordinal);
    }

    /// <summary>A localhost server certificate from the dev CA, via the CLI itself.</summary>
    internal static async Task ServeCertificateAsync(string prefix)
    {
        if (File.Exists(prefix + ".pem")) return;
        using (var init = Proc.Tessera("ca issue localhost 127.0.0.1 --out " + prefix))
        {
            if (await init.ExitAsync(Timeout) != 0)
            {
                using var ca = Proc.Tessera("ca init");
                await ca.ExitAsync(Timeout);
                using var again = Proc.Tessera("ca issue localhost 127.0.0.1 --force --out " + prefix);
                Assert.Equal(0, await again.ExitAsync(Timeout));
            }
        }
    }

    internal static async Task ExpiredCertificateAsync(string prefix)
    {
        await ServeCertificateAsync(Path.Combine(TestHome.Path, "openssl-peer"));   // makes sure the dev CA exists
        var caDir = Path.Combine(TestHome.Path, "ca");
        using var issuer = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(caDir, "intermediate.pem"), Path.Combine(caDir, "intermediate.key"));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        req.CertificateExtensions.Add(san.Build());
        // Expired a moment ago: the dev CA was only just made, and a leaf cannot predate its issuer.
        using var leaf = req.Create(issuer, new DateTimeOffset(issuer.NotBefore.ToUniversalTime()), DateTimeOffset.UtcNow.AddSeconds(-30), [1, 2, 3, 4]);
        await File.WriteAllTextAsync(prefix + ".pem", leaf.ExportCertificatePem() + "\n" + File.ReadAllText(Path.Combine(caDir, "intermediate.pem")));
        await File.WriteAllTextAsync(prefix + ".key", key.ExportPkcs8PrivateKeyPem());
    }
}
