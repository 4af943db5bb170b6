using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// What one TLS 1.3 server handshake carries from state to state. The flow, as RFC 8446 §2 draws it:
/// <code>
///   ClientHello              ExpectClientHello → HelloRetryRequest (then ClientHello again), or
///                            ServerHello, {EncryptedExtensions}, {CertificateRequest}?, {Certificate},
///                            {CertificateVerify}, {Finished}
///   {Certificate}?           ExpectClientCertificate      (only when a certificate was requested)
///   {CertificateVerify}?     ExpectClientCertificateVerify
///   {Finished}               ExpectClientFinished
///   [application data]       Connected13
/// </code>
/// </summary>
internal sealed class ServerHandshake13 : IDisposable
{
    public ServerHandshake13(TlsConnection connection, TlsServerOptions options)
    {
        Connection = connection;
        Options = options;
    }

    public TlsConnection Connection { get; }
    public TlsServerOptions Options { get; }
    public Transcript Transcript { get; } = new();
    public CipherSuiteInfo Suite { get; set; } = null!;
    public KeySchedule13 Schedule { get; set; } = null!;
    public byte[] ClientHandshakeSecret { get; set; } = [];
    public byte[] ClientApplicationSecret { get; set; } = [];
    public byte[] ServerApplicationSecret { get; set; } = [];
    public byte[] ExporterSecret { get; set; } = [];
    public bool ChangeCipherSpecSent { get; set; }
    public IReadOnlyList<SignatureScheme> RequestedSchemes { get; set; } = [];
    public byte[]? CertificateRequestContext { get; set; }
    public List<System.Security.Cryptography.X509Certificates.X509Certificate2>? ClientChain { get; set; }

    /// <summary>Set after a HelloRetryRequest: what the second ClientHello must match.</summary>
    public RetryState? Retry { get; set; }

    public sealed record RetryState(CipherSuiteInfo Suite, NamedGroup Group, byte[]? Cookie, byte[] SessionId);

    public void Send(HandshakeMessage message)
    {
        Transcript.Add(message);
        Connection.SendHandshake(message);
    }

    /// <summary>Finishes the handshake once the client's Finished has been checked.</summary>
    public IHandshakeState Complete()
    {
        var resumption = Schedule.ResumptionMasterSecret(Transcript.CurrentHash());
        Connection.SetReadKeys(Suite, ClientApplicationSecret, "client application keys");
        Connection.CompleteHandshake(Suite, readSecret: ClientApplicationSecret, writeSecret: ServerApplicationSecret, ExporterSecret, resumption);
        Dispose();
        return new Connected13(Connection);
    }

    public void Dispose()
    {
        Transcript.Dispose();
        CryptographicOperations.ZeroMemory(ClientHandshakeSecret);
        Schedule?.Dispose();
    }

    internal ICertificateVerifier ClientVerifier() => Options.ResolveClientVerifier();
}
