using System.Text;
using System.Text.Json;
using Tessera.Cli.Commands;
using Tessera.Cli.Settings;
using Tessera.Cli.Tests.Support;
using Tessera.Interop.Tests.Support;

namespace Tessera.Cli.Tests;

/// <summary>
/// RFC 8879 across the tools: headless Chromium gets `tessera serve --http`'s certificate Brotli-compressed (the
/// server's log line says so), `tessera connect` against `tessera serve` with each algorithm shows it and the bytes
/// saved, and `--cert-compression none` gets the plain Certificate.
/// </summary>
[Collection("tessera home")]
public sealed class CertificateCompressionCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Chromium_Gets_The_Certificate_Of_Tessera_Serve_Http_Brotli_Compressed()
    {
        await using var serve = ServeFixture.Start(new ServeSettings { Mode = ServeMode.Http });
        var page = await HeadlessChromium.DumpDomAsync($"https://127.0.0.1:{serve.Port}/", TimeSpan.FromSeconds(90));
        Assert.Contains("version: TLS1.3", page, StringComparison.Ordinal);
        // Shown by the server itself: its page and its log line name the algorithm it compressed with.
        Assert.Contains("certificate compression: brotli", page, StringComparison.Ordinal);
        Assert.Matches(@"TLS1\.3 .* cert-compression=brotli:\d+->\d+ ", serve.Log);
    }

    [Theory]
    [InlineData("brotli")]
    [InlineData("zlib")]
    public async Task Connect_Shows_The_Algorithm_And_The_Bytes_Saved(string algorithm)
    {
        TestHome.Ensure();
        await using var serve = ServeFixture.Start();
        var (exit, text, errors) = await ConnectAsync(serve.Port, algorithm);
        Assert.True(exit == 0, errors + text);
        Assert.Matches($@"certificate compression\s+│?\s*{algorithm}, \d+ bytes → \d+ bytes \(\d+ bytes saved\)", text);
        Assert.Contains("CompressedCertificate", text, StringComparison.Ordinal);
        Assert.Contains($"cert-compression={algorithm}:", serve.Log, StringComparison.Ordinal);

        var (jsonExit, json, _) = await ConnectAsync(serve.Port, algorithm, asJson: true);
        Assert.Equal(0, jsonExit);
        using var doc = JsonDocument.Parse(json);
        var compression = doc.RootElement.GetProperty("connections")[0].GetProperty("certificate_compression");
        Assert.Equal(algorithm, compression.GetProperty("algorithm").GetString());
        Assert.True(compression.GetProperty("bytes_saved").GetInt32() > 0);
        Assert.Equal(compression.GetProperty("uncompressed_bytes").GetInt32() - compression.GetProperty("compressed_bytes").GetInt32(),
            compression.GetProperty("bytes_saved").GetInt32());
    }

    [Fact]
    public async Task Connect_With_Compression_Off_Gets_The_Plain_Certificate()
    {
        TestHome.Ensure();
        await using var serve = ServeFixture.Start();
        var (exit, text, errors) = await ConnectAsync(serve.Port, "none");
        Assert.True(exit == 0, errors + text);
        Assert.Matches(@"certificate compression\s+│?\s*none", text);
        Assert.DoesNotContain("CompressedCertificate", text, StringComparison.Ordinal);
        Assert.Contains("cert-compression=- ", serve.Log, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Errors)> ConnectAsync(int port, string algorithms, bool asJson = false)
    {
        var console = new RecordingConsole();
        var errors = new StringWriter();
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        var settings = new ConnectSettings
        {
            Target = new Endpoint("127.0.0.1", port), ServerName = "localhost", CaFile = TestHome.DevRoot, Quiet = true,
            CertCompression = algorithms, Json = asJson,
        };
        var exit = await ConnectCommand.RunAsync(settings, console.Console, errors, input, output, CancellationToken.None).WaitAsync(Timeout);
        return (exit, console.Text + Encoding.UTF8.GetString(output.ToArray()), errors.ToString());
    }
}
