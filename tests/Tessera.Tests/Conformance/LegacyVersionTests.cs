using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Conformance;

/// <summary>
/// What each value of a ClientHello's legacy_version gets (RFC 8446 §4.1.2, Appendix D.5; RFC 5246 Appendix E.1).
/// With supported_versions, SSL 3.0 and every lower value (SSL 2.0's 0x0002, 0x0200, 0x0000) are protocol_version, as
/// OpenSSL answers; TLS 1.0 and 1.1 values are tolerated (supported_versions decides, as in OpenSSL, Go and rustls);
/// values above TLS 1.2 are accepted. Without supported_versions, legacy_version is the client's highest version:
/// TLS 1.2 and anything above (0x0304, 0x0400, 0xffff) negotiates TLS 1.2, anything below is protocol_version.
/// </summary>
public sealed class LegacyVersionTests
{
    public static TheoryData<ushort, bool, string?> Cases() => new()
    {
        // legacy_version, with supported_versions [TLS 1.3, TLS 1.2], expected version (null: protocol_version)
        { 0x0000, true, null },
        { 0x0002, true, null },
        { 0x0200, true, null },
        { 0x0300, true, null },
        { 0x0301, true, "TLS 1.3" },
        { 0x0302, true, "TLS 1.3" },
        { 0x0303, true, "TLS 1.3" },
        { 0x0304, true, "TLS 1.3" },
        { 0xffff, true, "TLS 1.3" },
        { 0x0002, false, null },
        { 0x0300, false, null },
        { 0x0302, false, null },
        { 0x0303, false, "TLS 1.2" },
        { 0x0304, false, "TLS 1.2" },
        { 0x0400, false, "TLS 1.2" },
        { 0xffff, false, "TLS 1.2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_Server_Answers_Each_Legacy_Version_As_Documented(ushort legacyVersion, bool withSupportedVersions, string? expected)
    {
        var hello = RealClientHello();
        var extensions = withSupportedVersions ? hello.Extensions : hello.Extensions.Where(e => e.Type != ExtensionType.SupportedVersions).ToList();
        var mutated = new ClientHello
        {
            LegacyVersion = legacyVersion, Random = hello.Random, LegacySessionId = hello.LegacySessionId,
            CipherSuites = withSupportedVersions ? hello.CipherSuites : [.. hello.CipherSuites, 0xc02b, 0xc02f],
            Extensions = [.. extensions],
        };
        using var server = TlsConnection.CreateServer(Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)));
        byte[] record = [22, 3, 1, .. Length16(mutated.Encode().Raw)];
        if (expected is null)
        {
            var e = Assert.Throws<TlsException>(() => server.ReceiveTls(record));
            Assert.Equal(AlertDescription.ProtocolVersion, e.Alert);
            var output = Pump.Drain(server);
            Assert.Equal([21, 3, 3, 0, 2, 2, (byte)AlertDescription.ProtocolVersion], output[^7..]);
        }
        else
        {
            server.ReceiveTls(record);
            Assert.Null(server.Failure);
            Assert.Equal(expected, server.NegotiatedVersion == ProtocolVersion.Tls13 ? "TLS 1.3" : "TLS 1.2");
        }
    }

    private static byte[] Length16(byte[] body) => [(byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static ClientHello RealClientHello()
    {
        using var client = TlsConnection.CreateClient(Pair.Client() with { MiddleboxCompatibility = false }, "example.test");
        var record = Pump.Drain(client);
        return ClientHello.Decode(record.AsSpan(9));
    }
}
