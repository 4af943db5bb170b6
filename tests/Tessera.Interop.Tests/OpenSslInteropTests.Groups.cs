using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Interop.Tests.Support;
using Tessera.Wire;
using Xunit;
using static Tessera.Interop.Tests.Support.Names;

namespace Tessera.Interop.Tests;

/// <summary>
/// P-521 and X448 against OpenSSL, TLS 1.3 and 1.2, both directions. Tessera's server accepts them by default (a peer
/// that offers only one of them gets it); its client offers them when asked. TLS 1.2 runs an ECDHE-RSA suite, so
/// that no ECDSA certificate's curve has to be offered beside the group under test.
/// </summary>
public sealed partial class OpenSslInteropTests
{
    public static TheoryData<NamedGroup, ProtocolVersion> OtherGroups() => new()
    {
        { NamedGroup.Secp521r1, ProtocolVersion.Tls13 },
        { NamedGroup.Secp521r1, ProtocolVersion.Tls12 },
        { NamedGroup.X448, ProtocolVersion.Tls13 },
        { NamedGroup.X448, ProtocolVersion.Tls12 },
    };

    [Theory]
    [MemberData(nameof(OtherGroups))]
    public async Task TesseraClient_To_OpenSslServer_OtherGroups(NamedGroup group, ProtocolVersion version)
    {
        var port = Ports.Free();
        var (flag, cert) = version == ProtocolVersion.Tls13 ? ("-tls1_3", CertKind.EcdsaP256) : ("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", CertKind.Rsa2048);
        using var server = Peer.Start("openssl",
            $"s_server -accept 127.0.0.1:{port} {flag} -groups {OpenSslGroup(group)} -cert {Pki.CertFile(cert)} -key {Pki.KeyFile(cert)} -rev -naccept 1");
        await server.WaitForOutputAsync("ACCEPT", Timeout);
        await using var tls = await EchoThroughReverseServerAsync(port, TesseraClient.Options() with { Groups = [group], KeyShareGroups = [group] });
        Assert.Equal(version, tls.Connection.NegotiatedVersion);
        Assert.Equal(group, tls.Connection.KeyExchangeGroup);
        Assert.False(tls.Connection.HelloRetryRequested);
    }

    [Theory]
    [MemberData(nameof(OtherGroups))]
    public async Task OpenSslClient_To_TesseraServer_OtherGroups_By_Default(NamedGroup group, ProtocolVersion version)
    {
        var cert = version == ProtocolVersion.Tls13 ? CertKind.EcdsaP256 : CertKind.Rsa2048;
        // Default server options: nothing says P-521 or X448.
        await using var server = new TesseraServer(new TlsServerOptions { Certificates = [TlsCredential.FromPemFiles(Pki.CertFile(cert), Pki.KeyFile(cert))] });
        var flag = version == ProtocolVersion.Tls13 ? "-tls1_3" : "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256";
        using var client = Peer.Start("openssl",
            $"s_client -connect 127.0.0.1:{server.Port} -servername localhost -verify_hostname localhost {flag} -groups {OpenSslGroup(group)} -CAfile {Pki.CaFile} -verify_return_error -quiet");
        await EchoRawThroughClientAsync(client);
        var conn = await server.WaitForConnectionAsync(Timeout);
        Assert.Equal(version, conn.NegotiatedVersion);
        Assert.Equal(group, conn.KeyExchangeGroup);
        Assert.False(conn.HelloRetryRequested);
    }
}
