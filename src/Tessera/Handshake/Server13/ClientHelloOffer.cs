using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>The parts of a ClientHello the server decides on, decoded and checked once.</summary>
internal sealed class ClientHelloOffer
{
    public required ClientHello Hello { get; init; }
    public string? ServerName { get; private set; }
    public List<ushort> Versions { get; private set; } = [];
    public List<NamedGroup>? Groups { get; private set; }
    public List<KeyShareEntry>? KeyShares { get; private set; }
    public List<SignatureScheme>? SignatureSchemes { get; private set; }
    public List<string>? Alpn { get; private set; }
    public byte[]? Cookie { get; private set; }
    public byte[]? PskModes { get; private set; }
    public ushort? RecordSizeLimit { get; private set; }
    public bool StatusRequest { get; private set; }
    /// <summary>RFC 8879: the algorithms the client can decompress the server's certificate with, or null.</summary>
    public List<CertificateCompressionAlgorithm>? CertificateCompression { get; private set; }
    public bool EarlyData { get; private set; }
    public OfferedPsks? PreSharedKey { get; private set; }

    public static ClientHelloOffer Parse(ClientHello hello)
    {
        var o = new ClientHelloOffer { Hello = hello };
        for (var i = 0; i < hello.Extensions.Count; i++)
        {
            var e = hello.Extensions[i];
            switch (e.Type)
            {
                case ExtensionType.ServerName: o.ServerName = ServerNameExtension.Read(e.Body); break;
                case ExtensionType.SupportedVersions: o.Versions = SupportedVersionsExtension.ReadClientHello(e.Body); break;
                case ExtensionType.SupportedGroups: o.Groups = SupportedGroupsExtension.Read(e.Body); break;
                case ExtensionType.KeyShare: o.KeyShares = KeyShareExtension.ReadClientHello(e.Body); break;
                case ExtensionType.SignatureAlgorithms: o.SignatureSchemes = SignatureAlgorithmsExtension.Read(e.Body); break;
                case ExtensionType.SignatureAlgorithmsCert: SignatureAlgorithmsExtension.Read(e.Body); break;
                case ExtensionType.ApplicationLayerProtocolNegotiation: o.Alpn = AlpnExtension.Read(e.Body); break;
                case ExtensionType.Cookie: o.Cookie = CookieExtension.Read(e.Body); break;
                case ExtensionType.PskKeyExchangeModes: o.PskModes = PskKeyExchangeModesExtension.Read(e.Body); break;
                case ExtensionType.RecordSizeLimit: o.RecordSizeLimit = RecordSizeLimitExtension.Read(e.Body); break;
                case ExtensionType.StatusRequest: o.StatusRequest = StatusRequestExtension.Read(e.Body); break;
                case ExtensionType.CompressCertificate: o.CertificateCompression = CompressCertificateExtension.Read(e.Body); break;
                case ExtensionType.EarlyData: TlsExtension.ExpectEmpty(e.Body, e.Type); o.EarlyData = true; break;
                case ExtensionType.PreSharedKey:
                    // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension.
                    if (i != hello.Extensions.Count - 1) throw TlsException.Illegal("pre_shared_key is not the last extension in ClientHello");
                    o.PreSharedKey = PreSharedKeyExtension.ReadClientHello(e.Body);
                    break;
            }
        }
        if (o.KeyShares is not null && o.Groups is null)
            throw new TlsException(AlertDescription.MissingExtension, "ClientHello has key_share but no supported_groups (RFC 8446 §9.2)");
        if (o.KeyShares is not null)
            foreach (var k in o.KeyShares)
                if (!o.Groups!.Contains(k.Group))
                    throw TlsException.Illegal($"ClientHello sends a key share for {TlsNames.Of(k.Group)}, which is not in its supported_groups");
        return o;
    }
}
