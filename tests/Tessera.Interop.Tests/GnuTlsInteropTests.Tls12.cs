using System.Text;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Interop.Tests.Support.Names;

namespace Tessera.Interop.Tests;

/// <summary>TLS 1.2 and version negotiation against GnuTLS.</summary>
public sealed partial class GnuTlsInteropTests
{
    [Theory]
    [MemberData(nameof(Matrix12.Cases), MemberType = typeof(Matrix12))]
    public async Task TesseraClient_To_GnuTlsServer_Tls12(CipherSuite suite, NamedGroup group)
    {
        var port = Ports.Free();
        using var server = await StartServerAsync(port, GnuTlsPriority12(suite, group), Matrix12.CertFor(suite));
        // Tessera's defaults (TLS 1.3 preferred) against a peer capped at 1.2.
        await using var tls = await EchoAsync(port, TesseraClient.Options());
        Assert.Equal(ProtocolVersion.Tls12, tls.Connection.NegotiatedVersion);
        Assert.Equal(suite, tls.Connection.CipherSuite);
        Assert.Equal(group, tls.Connection.KeyExchangeGroup);
    }

    [Theory]
    [MemberData(nameof(Matrix12.Cases), MemberType = typeof(Matrix12))]
    public async Task GnuTlsClient_To_TesseraServer_Tls12(CipherSuite suite, NamedGroup group)
    {
        await using var server = new TesseraServer(new TlsServerOptions
        {
            Certificates =
            [
                TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256)),
                TlsCredential.FromPemFiles(Pki.CertFile(CertKind.Rsa2048), Pki.KeyFile(CertKind.Rsa2048)),
            ],
            // GnuTLS, like OpenSSL, wants an ECDSA certificate's curve among its groups (RFC 8422 §5.1).
            Groups = [group, NamedGroup.Secp256r1],
        });
        var priority = GnuTlsPriority12(suite, group) + (group == NamedGroup.Secp256r1 ? "" : ":+GROUP-SECP256R1");
        using var client = Peer.Start("gnutls-cli", $"-p {server.Port} --x509cafile {Pki.CaFile} --priority {priority} 127.0.0.1");
        var data = Payload.Random();
        var lines = Payload.AsLines(data);
        await client.StandardInput.WriteAsync(lines);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(lines.Length, Timeout, bytes => Base64Lines(bytes).Length);
        Assert.Equal(data, Payload.FromLines(Base64Lines(client.StdoutBytes)));
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(ProtocolVersion.Tls12, conn.NegotiatedVersion);
        Assert.Equal(suite, conn.CipherSuite);
        Assert.Equal(group, conn.KeyExchangeGroup);
    }

    [Fact]
    public async Task Default_Negotiates13_Both_Directions()
    {
        var port = Ports.Free();
        using (var server = await StartServerAsync(port, "NORMAL"))
        {
            await using var tls = await EchoAsync(port, TesseraClient.Options());
            Assert.Equal(ProtocolVersion.Tls13, tls.Connection.NegotiatedVersion);
        }
        await using var tessera = new TesseraServer(new TlsServerOptions
        {
            Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(CertKind.EcdsaP256), Pki.KeyFile(CertKind.EcdsaP256))],
        });
        using var client = Peer.Start("gnutls-cli", $"-p {tessera.Port} --x509cafile {Pki.CaFile} 127.0.0.1");
        var lines = Payload.AsLines(Payload.Random());
        await client.StandardInput.WriteAsync(lines);
        await client.StandardInput.FlushAsync();
        await client.WaitForStdoutBytesAsync(lines.Length, Timeout, bytes => Base64Lines(bytes).Length);
        Assert.Equal(Encoding.ASCII.GetString(lines), Base64Lines(client.StdoutBytes));
        Assert.Equal(ProtocolVersion.Tls13, (await tessera.WaitForConnectionAsync(Timeout)).NegotiatedVersion);
    }
}
