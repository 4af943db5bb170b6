using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Interop.Tests.Support.Names;

namespace Tessera.Interop.Tests;

/// <summary>TLS 1.2 and version negotiation against OpenSSL; legacy versions and suites refused in both directions.</summary>
public sealed partial class OpenSslInteropTests
{
    /// <summary>Debian's openssl.cnf forbids TLS &lt; 1.2 outright; the legacy-peer tests need OpenSSL's built-in defaults.</summary>
    private static readonly Dictionary<string, string> NoSystemConfig = new() { ["OPENSSL_CONF"] = "/dev/null" };

    private static TesseraServer ServerWithBothKeyTypes() => new(new TlsServerOptions
    {
        Certificates =
        [
            TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256)),
            TlsCredential.FromPemFiles(Pki.CertFile(CertKind.Rsa2048), Pki.KeyFile(CertKind.Rsa2048)),
        ],
    });

    /// <summary>An ECDSA suite also needs the certificate's curve (P-256) in the client's groups (RFC 8422 §5.1); Tessera still prefers <paramref name="group"/>.</summary>
    private static string ClientGroups(CipherSuite suite, NamedGroup group) =>
        Matrix12.CertFor(suite) == CertKind.EcdsaP256 && group != NamedGroup.Secp256r1 ? $"{OpenSslGroup(group)}:P-256" : OpenSslGroup(group);

    private static async Task<byte[]> EchoRawThroughClientAsync(Peer client)
    {
        var data = Payload.Random();
        await client.StandardInput.WriteAsync(data);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(data.Length, Timeout);
        Assert.Equal(data, client.StdoutBytes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix12.Cases), MemberType = typeof(Matrix12))]
    public async Task TesseraClient_To_OpenSslServer_Tls12(CipherSuite suite, NamedGroup group)
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -tls1_2 -cipher {OpenSslCipher12(suite)} -groups {OpenSslGroup(group)} " +
            $"-cert {Pki.CertFile(Matrix12.CertFor(suite))} -key {Pki.KeyFile(Matrix12.CertFor(suite))} -rev -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        // Tessera's defaults (TLS 1.3 preferred) against a peer capped at 1.2: 1.2, and no false downgrade alarm.
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options());
        Assert.Equal(ProtocolVersion.Tls12, tls.Connection.NegotiatedVersion);
        Assert.Equal(suite, tls.Connection.CipherSuite);
        Assert.Equal(group, tls.Connection.KeyExchangeGroup);
    }

    [Theory]
    [MemberData(nameof(Matrix12.Cases), MemberType = typeof(Matrix12))]
    public async Task OpenSslClient_To_TesseraServer_Tls12(CipherSuite suite, NamedGroup group)
    {
        await using var server = ServerWithBothKeyTypes();
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -verify_hostname localhost -tls1_2 -cipher {OpenSslCipher12(suite)} " +
            $"-groups {ClientGroups(suite, group)} -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(ProtocolVersion.Tls12, conn.NegotiatedVersion);
        Assert.Equal(suite, conn.CipherSuite);
        Assert.Equal(group, conn.KeyExchangeGroup);
    }

    [Fact]
    public async Task OpenSslClient_Tls12_WithoutTheCertificateCurve_IsRefused()
    {
        // RFC 8422 §5.1: the client lists only X25519, so a P-256 ECDSA certificate is unusable in TLS 1.2.
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))] });
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups X25519 -CAfile {Pki.CaFile}");
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Equal(AlertDescription.HandshakeFailure, failure.Alert);
    }

    [Fact]
    public async Task TesseraClient_To_OpenSslServer_Default_Negotiates13()
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -rev -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options());
        Assert.Equal(ProtocolVersion.Tls13, tls.Connection.NegotiatedVersion);
    }

    [Fact]
    public async Task OpenSslClient_To_TesseraServer_Default_Negotiates13()
    {
        await using var server = ServerWithBothKeyTypes();
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        Assert.Equal(ProtocolVersion.Tls13, (await server.WaitForConnectionAsync(Timeout)).NegotiatedVersion);
    }

    [Theory]
    [InlineData("-tls1", "TLS 1.0")]
    [InlineData("-tls1_1", "TLS 1.1")]
    public async Task OpenSslClient_LegacyVersion_GetsProtocolVersionAlert(string flag, string version)
    {
        await using var server = ServerWithBothKeyTypes();
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} {flag} -cipher ALL@SECLEVEL=0 -CAfile {Pki.CaFile}", environment: NoSystemConfig);
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Equal(AlertDescription.ProtocolVersion, failure.Alert);
        Assert.Contains(version, failure.Message, StringComparison.Ordinal);
        await client.WaitForExitAsync(Timeout);
        Assert.Contains("alert protocol version", client.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslClient_CbcOnly_GetsHandshakeFailure_NamingTheSuites()
    {
        await using var server = ServerWithBothKeyTypes();
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -tls1_2 -cipher ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:AES128-SHA -CAfile {Pki.CaFile}");
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.Equal(AlertDescription.HandshakeFailure, failure.Alert);
        Assert.Contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", failure.Message, StringComparison.Ordinal);
        Assert.Contains("legacy", failure.Message, StringComparison.Ordinal);
        await client.WaitForExitAsync(Timeout);
        Assert.Contains("alert handshake failure", client.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TesseraClient_To_OpenSslServer_Tls11Only_FailsNamingTheVersion()
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -tls1_1 -cipher ALL@SECLEVEL=0 -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -naccept 1",
            environment: NoSystemConfig);
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        var e = await Assert.ThrowsAsync<TlsException>(() => TesseraClient.ConnectAsync(port, TesseraClient.Options()));
        Assert.Equal(AlertDescription.ProtocolVersion, e.Alert);
        Assert.Contains("TLS 1.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TesseraClient_To_OpenSslServer_CbcOnly_FailsNamingTheProblem()
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        var e = await Assert.ThrowsAsync<TlsException>(() => TesseraClient.ConnectAsync(port, TesseraClient.Options()));
        Assert.Equal(AlertDescription.HandshakeFailure, e.Alert);
        Assert.Contains("no CBC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslClient_Renegotiation_IsRefused_WithANoRenegotiationWarning()
    {
        await using var server = ServerWithBothKeyTypes();
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} -tls1_2 -CAfile {Pki.CaFile}");
        await client.WaitForOutputAsync("Verify return code", Timeout);
        await server.WaitForConnectionAsync(Timeout);
        // s_client's interactive "R" command starts a renegotiation. Tessera answers with a no_renegotiation warning
        // and keeps the connection; OpenSSL's client gives up on being refused (it ends with a fatal handshake_failure
        // of its own and prints "no renegotiation"), so the failure the server records is the peer's.
        await client.StandardInput.WriteAsync("R\n"u8.ToArray());
        await client.StandardInput.FlushAsync();
        var failure = Assert.IsType<TlsException>(await server.WaitForFailureAsync(Timeout));
        Assert.True(failure.IsFromPeer, failure.Message);
        Assert.Equal(AlertDescription.HandshakeFailure, failure.Alert);
        await client.WaitForOutputAsync("no renegotiation", Timeout);
    }

    [Fact]
    public async Task OpenSslServer_HelloRequest_IsAnsweredWithNoRenegotiationWarning()
    {
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} -tls1_2 -cert {Pki.CertFile(CertKind.EcdsaP256)} -key {Pki.KeyFile(CertKind.EcdsaP256)} -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await TesseraClient.ConnectAsync(port, TesseraClient.Options() with { RecordHandshakeEvents = true });
        await tls.WriteAsync("hello\n"u8.ToArray());
        await server.WaitForOutputAsync("hello", Timeout);
        // s_server's interactive "r" command sends HelloRequest.
        await server.StandardInput.WriteAsync("r\n"u8.ToArray());
        await server.StandardInput.FlushAsync();
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            // Reading processes the HelloRequest; OpenSSL may then give up on the renegotiation and close.
            while (await tls.ReadAsync(buffer, cts.Token) > 0) { }
        }
        catch (Exception e) when (e is TlsException or OperationCanceledException)
        {
            // The server may end the connection after being refused, or keep it open; what matters is our answer below.
        }
        Assert.Contains(tls.Connection.HandshakeEvents, e => e.Name == "Alert no_renegotiation (warning)" && e.Direction == Diagnostics.TraceDirection.Sent);
    }
}
