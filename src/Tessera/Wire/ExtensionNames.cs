namespace Tessera.Wire;

/// <summary>RFC names for extensions, used in error messages and traces.</summary>
internal static class ExtensionNames
{
    public static string Of(ExtensionType type) => type switch
    {
        ExtensionType.ServerName => "server_name",
        ExtensionType.StatusRequest => "status_request",
        ExtensionType.SupportedGroups => "supported_groups",
        ExtensionType.EcPointFormats => "ec_point_formats",
        ExtensionType.SignatureAlgorithms => "signature_algorithms",
        ExtensionType.ApplicationLayerProtocolNegotiation => "application_layer_protocol_negotiation",
        ExtensionType.SignedCertificateTimestamp => "signed_certificate_timestamp",
        ExtensionType.Padding => "padding",
        ExtensionType.EncryptThenMac => "encrypt_then_mac",
        ExtensionType.ExtendedMasterSecret => "extended_master_secret",
        ExtensionType.CompressCertificate => "compress_certificate",
        ExtensionType.RecordSizeLimit => "record_size_limit",
        ExtensionType.SessionTicket => "session_ticket",
        ExtensionType.PreSharedKey => "pre_shared_key",
        ExtensionType.EarlyData => "early_data",
        ExtensionType.SupportedVersions => "supported_versions",
        ExtensionType.Cookie => "cookie",
        ExtensionType.PskKeyExchangeModes => "psk_key_exchange_modes",
        ExtensionType.CertificateAuthorities => "certificate_authorities",
        ExtensionType.OidFilters => "oid_filters",
        ExtensionType.PostHandshakeAuth => "post_handshake_auth",
        ExtensionType.SignatureAlgorithmsCert => "signature_algorithms_cert",
        ExtensionType.KeyShare => "key_share",
        ExtensionType.RenegotiationInfo => "renegotiation_info",
        _ => IsGrease((ushort)type) ? $"GREASE(0x{(ushort)type:x4})" : $"extension(0x{(ushort)type:x4})",
    };

    /// <summary>RFC 8701 GREASE values: 0x?a?a with both bytes equal.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}
