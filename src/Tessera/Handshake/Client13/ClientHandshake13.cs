using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// What one TLS 1.3 client handshake carries from state to state, and the ClientHello every client handshake
/// starts with (a ServerHello for TLS 1.2 hands over to <see cref="Client12.ClientHandshake12"/>). The flow, as RFC 8446 §2 draws it:
/// <code>
///   send ClientHello                         (Start)
///   ServerHello | HelloRetryRequest          ExpectServerHello  (HRR: send ClientHello again, once)
///   {EncryptedExtensions}                    ExpectEncryptedExtensions
///   {CertificateRequest}? {Certificate}      ExpectCertificateOrRequest / ExpectCertificate
///   {CertificateVerify}                      ExpectCertificateVerify
///   {Finished}                               ExpectFinished → send {Certificate, CertificateVerify}? {Finished}
///   [application data]                       Connected13
/// </code>
/// </summary>
internal sealed class ClientHandshake13 : IDisposable
{
    public ClientHandshake13(TlsConnection connection, TlsClientOptions options, string? serverName)
    {
        Connection = connection;
        Options = options;
        ServerName = serverName;
        // RFC 6066 §3: literal IP addresses are not permitted in server_name.
        SniName = options.SendServerNameIndication && serverName is not null && !IPAddress.TryParse(serverName.Trim('[', ']'), out _)
            ? serverName.TrimEnd('.')
            : null;
    }

    public TlsConnection Connection { get; }
    public TlsClientOptions Options { get; }
    public string? ServerName { get; }
    public string? SniName { get; }
    public Transcript Transcript { get; } = new();
    public byte[] Random { get; private set; } = [];
    public byte[] SessionId { get; private set; } = [];
    public List<KeyExchange> Shares { get; } = [];
    public byte[]? Cookie { get; set; }
    public bool ChangeCipherSpecSent { get; set; }
    public CipherSuiteInfo? RetrySuite { get; set; }
    public NamedGroup? RetryGroup { get; set; }
    public List<ExtensionType> OfferedExtensions { get; } = [];
    public CipherSuiteInfo Suite { get; set; } = null!;
    public KeySchedule13 Schedule { get; set; } = null!;
    public byte[] ClientHandshakeSecret { get; set; } = [];
    public byte[] ServerHandshakeSecret { get; set; } = [];
    public Wire.CertificateRequest? CertificateRequest { get; set; }
    public IReadOnlyList<SignatureScheme> RequestedSchemes { get; set; } = [];
    public X509Certificate2? PeerLeaf { get; set; }

    public IHandshakeState Start()
    {
        Random = TlsRandom.Bytes(Options.Random, 32);
        Connection.ClientRandom = Random;
        if (Options.MiddleboxCompatibility) SessionId = TlsRandom.Bytes(Options.Random, 32);
        if (Options.Tls13Enabled)
            foreach (var g in Options.KeyShareGroups) Shares.Add(KeyExchange.Generate(g, Options.Random));
        SendClientHello();
        return new ExpectServerHello(this);
    }

    public void SendClientHello()
    {
        var extensions = new List<TlsExtension>();
        if (SniName is not null) extensions.Add(new(ExtensionType.ServerName, ExtensionCodec.WriteServerName(SniName)));
        extensions.Add(new(ExtensionType.SupportedGroups, ExtensionCodec.WriteNamedGroups(Options.Groups)));
        if (Options.ApplicationProtocols.Count > 0)
            extensions.Add(new(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionCodec.WriteAlpn(Options.ApplicationProtocols)));
        extensions.Add(new(ExtensionType.SignatureAlgorithms, ExtensionCodec.WriteSignatureSchemes(Options.SignatureSchemes)));
        extensions.Add(new(ExtensionType.SignatureAlgorithmsCert, ExtensionCodec.WriteSignatureSchemes(SignatureSchemes.DefaultCertificate)));
        if (Options.RequestOcspStapling) extensions.Add(new(ExtensionType.StatusRequest, ExtensionCodec.WriteStatusRequestOcsp()));
        if (Options.Tls12Enabled)
        {
            extensions.Add(new(ExtensionType.EcPointFormats, ExtensionCodec.WriteEcPointFormats()));
            extensions.Add(new(ExtensionType.ExtendedMasterSecret, []));          // RFC 7627
            extensions.Add(new(ExtensionType.RenegotiationInfo, ExtensionCodec.WriteEmptyRenegotiationInfo())); // RFC 5746
        }
        if (Options.Tls13Enabled)
        {
            ushort[] versions = Options.Tls12Enabled ? [(ushort)ProtocolVersion.Tls13, (ushort)ProtocolVersion.Tls12] : [(ushort)ProtocolVersion.Tls13];
            extensions.Add(new(ExtensionType.SupportedVersions, ExtensionCodec.WriteSupportedVersionsClientHello(versions)));
            extensions.Add(new(ExtensionType.PskKeyExchangeModes, ExtensionCodec.WritePskKeyExchangeModes([1]))); // psk_dhe_ke
            extensions.Add(new(ExtensionType.KeyShare, ExtensionCodec.WriteKeyShareClientHello(Shares.Select(s => new KeyShareEntry(s.Group, s.PublicKey)))));
        }
        if (Options.RecordSizeLimit is { } limit)
            extensions.Add(new(ExtensionType.RecordSizeLimit, ExtensionCodec.WriteRecordSizeLimit(limit)));
        if (Cookie is not null) extensions.Add(new(ExtensionType.Cookie, ExtensionCodec.WriteCookie(Cookie)));

        var hello = new ClientHello
        {
            Random = Random,
            LegacySessionId = SessionId,
            CipherSuites = OfferedSuites(),
            Extensions = extensions,
        };
        if (Options.TestHooks?.RewriteClientHello is { } rewrite) hello = rewrite(hello);

        OfferedExtensions.Clear();
        foreach (var e in hello.Extensions) OfferedExtensions.Add(e.Type);
        var message = hello.Encode();
        Connection.OfferSummary = DescribeOffer(hello);
        Transcript.Add(message);
        Connection.SendHandshake(message);
    }

    public bool Offered(ExtensionType type) => OfferedExtensions.Contains(type);

    private string DescribeOffer(ClientHello hello)
    {
        var versions = (Options.Tls13Enabled, Options.Tls12Enabled) switch
        {
            (true, true) => "TLS 1.3 and TLS 1.2",
            (true, false) => "TLS 1.3",
            _ => "TLS 1.2",
        };
        return $"{versions} with {string.Join(", ", hello.CipherSuites.Select(s => GroupNames.Of((CipherSuite)s)))}; groups {string.Join(", ", Options.Groups.Select(GroupNames.Of))}";
    }

    /// <summary>The configured suites of every enabled version, in the configured order.</summary>
    private List<ushort> OfferedSuites()
    {
        var suites = new List<ushort>(Options.CipherSuites.Count);
        foreach (var s in Options.CipherSuites)
        {
            var info = CipherSuiteInfo.Get(s);
            if (info.IsTls13 ? Options.Tls13Enabled : Options.Tls12Enabled) suites.Add((ushort)s);
        }
        return suites;
    }

    public void Dispose()
    {
        foreach (var s in Shares) s.Dispose();
        Shares.Clear();
        Transcript.Dispose();
        CryptographicOperations.ZeroMemory(ClientHandshakeSecret);
        CryptographicOperations.ZeroMemory(ServerHandshakeSecret);
        Schedule?.Dispose();
    }
}
