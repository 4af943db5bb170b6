namespace Tessera.Wire;

/// <summary>TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2, RFC 7507, RFC 7301).</summary>
public enum AlertDescription : byte
{
    /// <summary>The close_notify alert (0).</summary>
    CloseNotify = 0,
    /// <summary>The unexpected_message alert (10).</summary>
    UnexpectedMessage = 10,
    /// <summary>The bad_record_mac alert (20).</summary>
    BadRecordMac = 20,
    /// <summary>The record_overflow alert (22).</summary>
    RecordOverflow = 22,
    /// <summary>The handshake_failure alert (40).</summary>
    HandshakeFailure = 40,
    /// <summary>The bad_certificate alert (42).</summary>
    BadCertificate = 42,
    /// <summary>The unsupported_certificate alert (43).</summary>
    UnsupportedCertificate = 43,
    /// <summary>The certificate_revoked alert (44).</summary>
    CertificateRevoked = 44,
    /// <summary>The certificate_expired alert (45).</summary>
    CertificateExpired = 45,
    /// <summary>The certificate_unknown alert (46).</summary>
    CertificateUnknown = 46,
    /// <summary>The illegal_parameter alert (47).</summary>
    IllegalParameter = 47,
    /// <summary>The unknown_ca alert (48).</summary>
    UnknownCa = 48,
    /// <summary>The access_denied alert (49).</summary>
    AccessDenied = 49,
    /// <summary>The decode_error alert (50).</summary>
    DecodeError = 50,
    /// <summary>The decrypt_error alert (51).</summary>
    DecryptError = 51,
    /// <summary>The protocol_version alert (70).</summary>
    ProtocolVersion = 70,
    /// <summary>The insufficient_security alert (71).</summary>
    InsufficientSecurity = 71,
    /// <summary>The internal_error alert (80).</summary>
    InternalError = 80,
    /// <summary>The inappropriate_fallback alert (86).</summary>
    InappropriateFallback = 86,
    /// <summary>The user_canceled alert (90).</summary>
    UserCanceled = 90,
    /// <summary>The no_renegotiation alert (100).</summary>
    NoRenegotiation = 100,
    /// <summary>The missing_extension alert (109).</summary>
    MissingExtension = 109,
    /// <summary>The unsupported_extension alert (110).</summary>
    UnsupportedExtension = 110,
    /// <summary>The unrecognized_name alert (112).</summary>
    UnrecognizedName = 112,
    /// <summary>The bad_certificate_status_response alert (113).</summary>
    BadCertificateStatusResponse = 113,
    /// <summary>The unknown_psk_identity alert (115).</summary>
    UnknownPskIdentity = 115,
    /// <summary>The certificate_required alert (116).</summary>
    CertificateRequired = 116,
    /// <summary>The no_application_protocol alert (120).</summary>
    NoApplicationProtocol = 120,
}
