using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Tessera.Interop.Tests;

/// <summary>
/// Go's crypto/tls (Debian 12's Go 1.19) against Tessera, both directions, TLS 1.2 and 1.3. Go before 1.21 has no
/// extended master secret, so its TLS 1.2 handshakes are the case Tessera's default must accept (RFC 7627 §5.3-5.4:
/// accepted, but not resumable and without exporters).
/// </summary>
public sealed class GoInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task GoClient_To_TesseraServer(string version)
    {
        output.WriteLine(GoPeer.Version());
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
        });
        using var go = Peer.Start(GoPeer.Path, $"client -port {server.Port} -ca {Pki.CaFile} -name localhost -version {version}");
        await go.WaitForOutputAsync("echo: hello from go", Timeout);
        Assert.Equal(0, await go.WaitForExitAsync(Timeout));
        Assert.Contains($"negotiated version={(version == "1.2" ? "0303" : "0304")}", go.StdoutText, StringComparison.Ordinal);
        var c = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(version == "1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13, c.NegotiatedVersion);
        // Go 1.19 sends no extended_master_secret: accepted in TLS 1.2, but marked (and so never resumed or exported).
        Assert.Equal(version == "1.3", c.ExtendedMasterSecret);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task TesseraClient_To_GoServer(string version)
    {
        using var go = Peer.Start(GoPeer.Path, $"server -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -version {version}");
        await go.WaitForOutputAsync("listening ", Timeout);
        var port = int.Parse(go.StdoutText.Split("listening ")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var options = TesseraClient.Options() with
        {
            MinVersion = version == "1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
            MaxVersion = version == "1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13,
        };
        await using var tls = await TesseraClient.ConnectAsync(port, options);
        var echoed = await TesseraClient.ExchangeAsync(tls, "hello from tessera\n"u8.ToArray(), 19, Timeout);
        Assert.Equal("hello from tessera\n", Encoding.ASCII.GetString(echoed));
        Assert.Equal(version == "1.2" ? ProtocolVersion.Tls12 : ProtocolVersion.Tls13, tls.Connection.NegotiatedVersion);
        Assert.Equal(version == "1.3", tls.Connection.ExtendedMasterSecret);
        await go.WaitForOutputAsync("done", Timeout);
        Assert.Contains($"negotiated version={(version == "1.2" ? "0303" : "0304")}", go.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GoClient_Tls12_IsRefused_WhenTheServerRequiresTheExtendedMasterSecret()
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            RequireExtendedMasterSecret = true,
        });
        using var go = Peer.Start(GoPeer.Path, $"client -port {server.Port} -ca {Pki.CaFile} -name localhost -version 1.2");
        Assert.NotEqual(0, await go.WaitForExitAsync(Timeout));
        Assert.Contains("handshake failure", go.Stderr, StringComparison.Ordinal);
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Contains("extended master secret", failure.Message, StringComparison.Ordinal);
    }
}
