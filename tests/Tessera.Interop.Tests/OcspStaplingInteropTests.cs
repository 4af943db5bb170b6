using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Interop.Tests;

/// <summary>OCSP stapling with responses made by `openssl ocsp`: Tessera staples to OpenSSL, and checks OpenSSL's staples, TLS 1.3 and 1.2.</summary>
public sealed class OcspStaplingInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static InteropPki Pki => InteropPki.Shared;

    public static TheoryData<string> Versions() => ["-tls1_3", "-tls1_2"];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task OpenSslClient_Status_ShowsTheStapleFromTesseraServer(string flag)
    {
        var name = InteropPki.Name(CertKind.EcdsaP256);
        var credential = TlsCredential.FromPemFiles(Pki.CertFile(name), Pki.KeyFile(name));
        var staple = Pki.OcspResponse(name);
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [new TlsCredential(credential.Chain, credential.Key, staple)] });
        using var client = Peer.Start("openssl", $"s_client -connect 127.0.0.1:{server.Port} {flag} -status -CAfile {Pki.CaFile}");
        await client.WaitForOutputAsync("Cert Status: good", Timeout);
        Assert.Contains("OCSP Response Status: successful", client.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task TesseraClient_HardFail_AcceptsAGoodStaple_FromOpenSslServer(string flag)
    {
        await using var tls = await ConnectToStaplingServerAsync(flag, revoked: false);
        Assert.True(tls.Connection.IsHandshakeComplete);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task TesseraClient_RefusesARevokedStaple_FromOpenSslServer(string flag)
    {
        var e = await Assert.ThrowsAsync<TlsException>(() => ConnectToStaplingServerAsync(flag, revoked: true));
        Assert.Equal(AlertDescription.CertificateRevoked, e.Alert);
        Assert.Contains("stapled OCSP response", e.Message, StringComparison.Ordinal);
    }

    private static async Task<TlsStream> ConnectToStaplingServerAsync(string flag, bool revoked)
    {
        var name = InteropPki.Name(CertKind.EcdsaP256);
        var port = Ports.Free();
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} {flag} -cert {Pki.CertFile(name)} -key {Pki.KeyFile(name)} -status_file {Pki.OcspFile(name, revoked)} -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        return await TesseraClient.ConnectAsync(port, TesseraClient.Options() with { Revocation = RevocationMode.HardFail });
    }
}
