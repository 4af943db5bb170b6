#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Wire;

/// <summary>Extension code points (IANA TLS ExtensionType registry).</summary>
public enum ExtensionType : ushort
{
    ServerName = 0,
    StatusRequest = 5,
    SupportedGroups = 10,
    EcPointFormats = 11,
    SignatureAlgorithms = 13,
    ApplicationLayerProtocolNegotiation = 16,
    SignedCertificateTimestamp = 18,
    Padding = 21,
    EncryptThenMac = 22,
    ExtendedMasterSecret = 23,
    CompressCertificate = 27,
    RecordSizeLimit = 28,
    SessionTicket = 35,
    PreSharedKey = 41,
    EarlyData = 42,
    SupportedVersions = 43,
    Cookie = 44,
    PskKeyExchangeModes = 45,
    CertificateAuthorities = 47,
    OidFilters = 48,
    PostHandshakeAuth = 49,
    SignatureAlgorithmsCert = 50,
    KeyShare = 51,
    RenegotiationInfo = 0xff01,
}
