namespace Tessera.Cli.Demo;

/// <summary>One handshake the demo shows: a title, a sentence on what is different about it, and the two configurations.</summary>
internal sealed record DemoScenario(string Key, string Title, string Summary, Func<ThrowawayPki, TlsClientOptions> Client, Func<ThrowawayPki, TlsServerOptions> Server,
    bool ResumeFromPreviousConnection = false)
{
    public static IReadOnlyList<DemoScenario> All { get; } =
    [
        new("full", "TLS 1.3 full handshake",
            "One round trip: the client sends key shares for the post-quantum hybrid X25519MLKEM768 and for X25519, the server takes the hybrid and authenticates with its certificate.",
            pki => new TlsClientOptions { TrustStore = pki.Trust, ApplicationProtocols = ["h2", "http/1.1"] },
            pki => new TlsServerOptions { Certificates = [pki.Server], ApplicationProtocols = ["http/1.1"] }),
        new("hrr", "TLS 1.3 with HelloRetryRequest",
            "The client's key share is X25519 but the server insists on P-256: one extra round trip, and the transcript restarts from a hash of the first ClientHello.",
            pki => new TlsClientOptions { TrustStore = pki.Trust, KeyShareGroups = [Wire.NamedGroup.X25519] },
            pki => new TlsServerOptions
            {
                Certificates = [pki.Server],
                Groups = [Wire.NamedGroup.Secp256r1, Wire.NamedGroup.X25519],
                HelloRetryForPreferredGroup = true,
            }),
        new("resumed", "TLS 1.3 resumed handshake",
            "The client presents a ticket from an earlier connection: the PSK replaces the certificate, and a fresh key share keeps forward secrecy.",
            pki => new TlsClientOptions { TrustStore = pki.Trust },
            pki => new TlsServerOptions { Certificates = [pki.Server] },
            ResumeFromPreviousConnection: true),
        new("tls12", "TLS 1.2 full handshake",
            "Two round trips; the server proves its identity by signing its ECDHE key, and ChangeCipherSpec switches each side to encryption.",
            pki => new TlsClientOptions { TrustStore = pki.Trust, MaxVersion = Wire.ProtocolVersion.Tls12 },
            pki => new TlsServerOptions { Certificates = [pki.Server] }),
        new("mtls", "TLS 1.3 mutual TLS",
            "The server asks for a certificate too; the client proves its identity the same way the server does.",
            pki => new TlsClientOptions { TrustStore = pki.Trust, ClientCertificate = pki.Client },
            pki => new TlsServerOptions
            {
                Certificates = [pki.Server],
                ClientCertificateMode = ClientCertificateMode.Required,
                ClientTrustStore = pki.Trust,
            }),
    ];
}
