namespace Tessera.Wire;

/// <summary>Extension code points (IANA TLS ExtensionType registry).</summary>
public enum ExtensionType : ushort
{
    /// <summary>The server_name extension (0).</summary>
    ServerName = 0,
    /// <summary>The status_request extension (5).</summary>
    StatusRequest = 5,
    /// <summary>The supported_groups extension (10).</summary>
    SupportedGroups = 10,
    /// <summary>The ec_point_formats extension (11).</summary>
    EcPointFormats = 11,
    /// <summary>The signature_algorithms extension (13).</summary>
    SignatureAlgorithms = 13,
    /// <summary>The application_layer_protocol_negotiation extension (16).</summary>
    ApplicationLayerProtocolNegotiation = 16,
    /// <summary>The signed_certificate_timestamp extension (18).</summary>
    SignedCertificateTimestamp = 18,
    /// <summary>The padding extension (21).</summary>
    Padding = 21,
    /// <summary>The encrypt_then_mac extension (22).</summary>
    EncryptThenMac = 22,
    /// <summary>The extended_master_secret extension (23).</summary>
    ExtendedMasterSecret = 23,
    /// <summary>The compress_certificate extension (27).</summary>
    CompressCertificate = 27,
    /// <summary>The record_size_limit extension (28).</summary>
    RecordSizeLimit = 28,
    /// <summary>The session_ticket extension (35).</summary>
    SessionTicket = 35,
    /// <summary>The pre_shared_key extension (41).</summary>
    PreSharedKey = 41,
    /// <summary>The early_data extension (42).</summary>
    EarlyData = 42,
    /// <summary>The supported_versions extension (43).</summary>
    SupportedVersions = 43,
    /// <summary>The cookie extension (44).</summary>
    Cookie = 44,
    /// <summary>The psk_key_exchange_modes extension (45).</summary>
    PskKeyExchangeModes = 45,
    /// <summary>The certificate_authorities extension (47).</summary>
    CertificateAuthorities = 47,
    /// <summary>The oid_filters extension (48).</summary>
    OidFilters = 48,
    /// <summary>The post_handshake_auth extension (49).</summary>
    PostHandshakeAuth = 49,
    /// <summary>The signature_algorithms_cert extension (50).</summary>
    SignatureAlgorithmsCert = 50,
    /// <summary>The key_share extension (51).</summary>
    KeyShare = 51,
    /// <summary>The renegotiation_info extension (0xff01).</summary>
    RenegotiationInfo = 0xff01,
}
