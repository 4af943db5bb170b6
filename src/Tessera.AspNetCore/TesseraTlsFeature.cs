using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using System.Net.Security;
using Tessera.Connection;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.AspNetCore;

/// <summary>
/// One object behind every TLS feature ASP.NET Core reads (<see cref="ITlsConnectionFeature"/> for
/// <c>HttpContext.Connection.ClientCertificate</c>, <see cref="ITlsHandshakeFeature"/>, <see cref="ITlsApplicationProtocolFeature"/>
/// for Kestrel's HTTP/2 choice) and Tessera's own <see cref="ITesseraTlsFeature"/>, filled from a completed handshake.
/// </summary>
internal sealed class TesseraTlsFeature(TlsConnection connection) : ITlsConnectionFeature, ITlsHandshakeFeature, ITlsApplicationProtocolFeature, ITesseraTlsFeature
{
    private readonly ReadOnlyMemory<byte> _alpn = connection.ApplicationProtocol is { } p ? System.Text.Encoding.ASCII.GetBytes(p) : ReadOnlyMemory<byte>.Empty;
    private X509Certificate2? _clientCertificate;
    private bool _clientCertificateRead;

    // ---- ITlsConnectionFeature

    public X509Certificate2? ClientCertificate
    {
        get
        {
            if (!_clientCertificateRead)
            {
                _clientCertificate = connection.PeerCertificates.Count > 0 ? connection.PeerCertificates[0] : null;
                _clientCertificateRead = true;
            }
            return _clientCertificate;
        }
        set
        {
            _clientCertificate = value;
            _clientCertificateRead = true;
        }
    }

    /// <summary>The certificate was requested (or not) in the handshake; Tessera never renegotiates to ask later.</summary>
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    // ---- ITlsApplicationProtocolFeature

    public ReadOnlyMemory<byte> ApplicationProtocol => _alpn;

    // ---- ITlsHandshakeFeature

    public SslProtocols Protocol => connection.NegotiatedVersion == ProtocolVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12;

    public TlsCipherSuite? NegotiatedCipherSuite => connection.CipherSuite is { } s ? (TlsCipherSuite)(ushort)s : null;

    public string HostName => connection.ServerName ?? string.Empty;

#pragma warning disable SYSLIB0058 // the legacy algorithm enums: ASP.NET Core still exposes them; answer them honestly
    public CipherAlgorithmType CipherAlgorithm => connection.CipherSuite switch
    {
        CipherSuite.TlsAes128GcmSha256 or CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256 or CipherSuite.TlsEcdheRsaWithAes128GcmSha256 => CipherAlgorithmType.Aes128,
        CipherSuite.TlsAes256GcmSha384 or CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 or CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => CipherAlgorithmType.Aes256,
        _ => CipherAlgorithmType.None,
    };

    public int CipherStrength => CipherAlgorithm switch { CipherAlgorithmType.Aes128 => 128, CipherAlgorithmType.Aes256 => 256, _ => 256 };

    public HashAlgorithmType HashAlgorithm => connection.CipherSuite switch
    {
        CipherSuite.TlsAes256GcmSha384 or CipherSuite.TlsEcdheEcdsaWithAes256GcmSha384 or CipherSuite.TlsEcdheRsaWithAes256GcmSha384 => HashAlgorithmType.Sha384,
        _ => HashAlgorithmType.Sha256,
    };

    public int HashStrength => HashAlgorithm == HashAlgorithmType.Sha384 ? 384 : 256;

    public ExchangeAlgorithmType KeyExchangeAlgorithm => ExchangeAlgorithmType.None;   // ECDHE has no member in this legacy enum

    public int KeyExchangeStrength => connection.KeyExchangeGroup switch
    {
        NamedGroup.X25519 or NamedGroup.Secp256r1 => 256,
        NamedGroup.Secp384r1 => 384,
        _ => 0,
    };
#pragma warning restore SYSLIB0058

    // ---- ITesseraTlsFeature

    public ProtocolVersion Version => connection.NegotiatedVersion ?? ProtocolVersion.Tls13;
    CipherSuite ITesseraTlsFeature.CipherSuite => connection.CipherSuite ?? default;
    public NamedGroup? KeyExchangeGroup => connection.KeyExchangeGroup;
    public bool WasResumed => connection.WasResumed;
    public bool HelloRetryRequested => connection.HelloRetryRequested;
    public bool? EarlyDataAccepted => connection.EarlyDataAccepted;
    public bool ExtendedMasterSecret => connection.ExtendedMasterSecret;
    public string? ServerName => connection.ServerName;
    public IReadOnlyList<HandshakeEvent> HandshakeEvents => connection.HandshakeEvents;
    public TlsConnection Connection => connection;
    public byte[] ExportKeyingMaterial(string label, ReadOnlySpan<byte> context, int length) => connection.ExportKeyingMaterial(label, context, length);

    /// <summary>Which requests began in 0-RTT data; null when none was accepted.</summary>
    internal EarlyDataRecord? EarlyData { get; init; }
}
