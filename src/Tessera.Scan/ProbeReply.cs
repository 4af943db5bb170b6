using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>What came back for one probe, decoded only as far as the scanner needs.</summary>
internal sealed class ProbeReply
{
    public required ProbeOutcome Outcome { get; init; }
    public ServerHello? Hello { get; init; }
    /// <summary>The rest of a TLS 1.2 (or older) server flight: Certificate, CertificateStatus, ServerKeyExchange, ...</summary>
    public IReadOnlyList<HandshakeMessage> Flight { get; init; } = [];
    public AlertDescription? Alert { get; init; }
    /// <summary>One line for a log or finding when something odd happened (capped; it may quote the server).</summary>
    public string? Detail { get; init; }

    public bool IsHello => Outcome is ProbeOutcome.ServerHello or ProbeOutcome.HelloRetryRequest;

    /// <summary>The version the server chose: supported_versions when present (RFC 8446 §4.2.1), else legacy_version.</summary>
    public ushort Version
    {
        get
        {
            if (Hello is null) return 0;
            var sv = TlsExtension.Find(Hello.Extensions, ExtensionType.SupportedVersions);
            return sv is { Length: 2 } ? (ushort)(sv[0] << 8 | sv[1]) : Hello.LegacyVersion;
        }
    }

    public ushort Suite => Hello?.CipherSuite ?? 0;

    public HandshakeMessage? Find(HandshakeType type)
    {
        foreach (var m in Flight)
            if (m.Type == type) return m;
        return null;
    }

    public bool HasExtension(ExtensionType type) => Hello is not null && TlsExtension.Find(Hello.Extensions, type) is not null;

    public override string ToString() => Outcome switch
    {
        ProbeOutcome.ServerHello or ProbeOutcome.HelloRetryRequest => $"{Outcome} {TlsNames.OfVersion(Version)} 0x{Suite:x4}",
        ProbeOutcome.Alert => $"alert {Alert}",
        _ => Detail is null ? Outcome.ToString() : $"{Outcome}: {Detail}",
    };
}
