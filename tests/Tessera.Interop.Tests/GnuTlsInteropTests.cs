using System.Text;
using System.Text.RegularExpressions;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Interop.Tests.Support.Names;

namespace Tessera.Interop.Tests;

/// <summary>
/// Tessera against GnuTLS's gnutls-serv and gnutls-cli (Debian gnutls-bin), TLS 1.3 only. GnuTLS's echo mode
/// and client are line-oriented, so the 1 MiB of random data travels as base64 lines and is compared byte for byte.
/// </summary>
public sealed partial class GnuTlsInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    private static async Task<Peer> StartServerAsync(int port, string priority, CertKind cert = CertKind.EcdsaP256, string extra = "")
    {
        var server = Peer.Start("gnutls-serv",
            $"--echo --crlf -p {port} --x509certfile {Pki.CertFile(cert)} --x509keyfile {Pki.KeyFile(cert)} --priority {priority} {extra}");
        await server.WaitForOutputAsync("listening", Timeout);
        return server;
    }

    private static async Task<TlsStream> EchoAsync(int port, TlsClientOptions options)
    {
        var tls = await TesseraClient.ConnectAsync(port, options);
        var data = Payload.Random();
        var lines = Payload.AsLines(data);
        var back = await TesseraClient.ExchangeAsync(tls, lines, lines.Length, Timeout);
        Assert.Equal(data, Payload.FromLines(TesseraClient.Ascii(back)));
        await tls.ShutdownAsync();
        return tls;
    }

    [Theory]
    [MemberData(nameof(Matrix.Cases), MemberType = typeof(Matrix))]
    public async Task TesseraClient_To_GnuTlsServer(CipherSuite suite, NamedGroup group, CertKind cert)
    {
        var port = Ports.Free();
        using var server = await StartServerAsync(port, GnuTlsPriority(suite, group), cert);
        await using var tls = await EchoAsync(port, TesseraClient.Options(cert) with { KeyShareGroups = [group] });
        Assert.Equal(suite, tls.Connection.CipherSuite);
        Assert.Equal(group, tls.Connection.KeyExchangeGroup);
        Assert.False(tls.Connection.HelloRetryRequested);
    }

    [Theory]
    [MemberData(nameof(Matrix.Cases), MemberType = typeof(Matrix))]
    public async Task GnuTlsClient_To_TesseraServer(CipherSuite suite, NamedGroup group, CertKind cert)
    {
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(cert), Pki.KeyFile(cert))] });
        using var client = Peer.Start("gnutls-cli",
            $"-p {server.Port} --x509cafile {Pki.CaFile} --priority {GnuTlsPriority(suite, group)} 127.0.0.1");
        var data = Payload.Random();
        var lines = Payload.AsLines(data);
        await client.StandardInput.WriteAsync(lines);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(lines.Length, Timeout, bytes => Base64Lines(bytes).Length);
        Assert.Equal(data, Payload.FromLines(Base64Lines(client.StdoutBytes)));
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(suite, conn.CipherSuite);
        Assert.Equal(group, conn.KeyExchangeGroup);
    }

    [Fact]
    public async Task TesseraClient_To_GnuTlsServer_ForcedHelloRetryRequest()
    {
        var port = Ports.Free();
        using var server = await StartServerAsync(port, GnuTlsPriority(CipherSuite.TlsAes128GcmSha256, NamedGroup.Secp256r1));
        await using var tls = await EchoAsync(port, TesseraClient.Options() with { KeyShareGroups = [NamedGroup.X25519] });
        Assert.True(tls.Connection.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, tls.Connection.KeyExchangeGroup);
    }

    [Fact]
    public async Task GnuTlsClient_To_TesseraServer_ForcedHelloRetryRequest()
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            Groups = [NamedGroup.Secp256r1],
        });
        // GnuTLS sends shares for its first two groups; the server accepts only the third.
        using var client = Peer.Start("gnutls-cli",
            $"-p {server.Port} --x509cafile {Pki.CaFile} --priority {GnuTlsPriority(CipherSuite.TlsAes128GcmSha256, NamedGroup.X25519, NamedGroup.Secp384r1, NamedGroup.Secp256r1)} 127.0.0.1");
        var lines = Payload.AsLines(Payload.Random());
        await client.StandardInput.WriteAsync(lines);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(lines.Length, Timeout, bytes => Base64Lines(bytes).Length);
        Assert.Equal(Encoding.ASCII.GetString(lines), Base64Lines(client.StdoutBytes));
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.True(conn.HelloRetryRequested);
        Assert.Equal(NamedGroup.Secp256r1, conn.KeyExchangeGroup);
    }

    [Fact]
    public async Task Alpn_Both_Directions()
    {
        var port = Ports.Free();
        using (var server = await StartServerAsync(port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", extra: "--alpn h2 --alpn http/1.1"))
        {
            await using var tls = await EchoAsync(port, TesseraClient.Options() with { ApplicationProtocols = ["http/1.1"] });
            Assert.Equal("http/1.1", tls.Connection.ApplicationProtocol);
        }
        await using var tessera = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
            ApplicationProtocols = ["h2"],
        });
        using var client = Peer.Start("gnutls-cli", $"-p {tessera.Port} --x509cafile {Pki.CaFile} --alpn h2 --alpn http/1.1 127.0.0.1");
        var conn = await tessera.WaitForConnectionAsync(Timeout);
        Assert.Equal("h2", conn.ApplicationProtocol);
    }

    /// <summary>gnutls-cli mixes its status lines ("- Handshake was completed") into stdout; the payload lines are the base64 ones.</summary>
    private static string Base64Lines(byte[] stdout)
    {
        var sb = new StringBuilder();
        foreach (var line in Encoding.ASCII.GetString(stdout).Split('\n'))
            if (Base64Line().IsMatch(line)) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9+/]{4,76}={0,2}$")]
    private static partial Regex Base64Line();
}
