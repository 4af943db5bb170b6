using Tessera.Wire;

namespace Tessera;

/// <summary>
/// The one exception Tessera throws to callers for protocol failures. It carries the alert that was
/// sent to the peer (or received from it) and a sentence a person can act on.
/// </summary>
public sealed class TlsException : Exception
{
    /// <summary>A failure with the alert that goes with it.</summary>
    /// <param name="alert">The alert sent to the peer, or received from it.</param>
    /// <param name="message">What happened, in a sentence a person can act on.</param>
    /// <param name="isFromPeer">True when the peer sent the alert.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public TlsException(AlertDescription alert, string message, bool isFromPeer = false, Exception? inner = null)
        : base(message, inner)
    {
        Alert = alert;
        IsFromPeer = isFromPeer;
    }

    /// <summary>The alert sent (or, when <see cref="IsFromPeer"/>, received).</summary>
    public AlertDescription Alert { get; }

    /// <summary>True when the peer sent the alert; false when Tessera detected the problem.</summary>
    public bool IsFromPeer { get; }

    /// <summary>True when the transport failed or ended early (no alert was exchanged).</summary>
    public bool IsTransportFailure { get; private init; }

    /// <summary>The connection ended without close_notify: data may have been cut off (RFC 8446 §6.1).</summary>
    public static TlsException Truncated(string what) =>
        new(AlertDescription.CloseNotify, $"{what}: the peer closed the connection without close_notify, so the data may be truncated") { IsTransportFailure = true };

    /// <summary>The transport failed (<paramref name="inner"/> says how); no alert could be exchanged.</summary>
    public static TlsException Transport(string what, Exception inner) =>
        new(AlertDescription.InternalError, $"{what}: {inner.Message}", false, inner) { IsTransportFailure = true };

    /// <summary>Malformed input: <c>decode_error</c>.</summary>
    public static TlsException DecodeError(string what) => new(AlertDescription.DecodeError, $"malformed message: {what}");
    /// <summary>A well-formed but forbidden value: <c>illegal_parameter</c>.</summary>
    public static TlsException Illegal(string what) => new(AlertDescription.IllegalParameter, what);
    /// <summary>A message the state does not allow: <c>unexpected_message</c>.</summary>
    public static TlsException Unexpected(string what) => new(AlertDescription.UnexpectedMessage, what);
    /// <summary>No acceptable parameters: <c>handshake_failure</c>.</summary>
    public static TlsException HandshakeFailure(string what) => new(AlertDescription.HandshakeFailure, what);
    /// <summary>Something failed inside this side: <c>internal_error</c>.</summary>
    public static TlsException Internal(string what, Exception? inner = null) => new(AlertDescription.InternalError, what, false, inner);

    /// <summary>The peer ended the connection with <paramref name="alert"/>; the message says what that alert usually means.</summary>
    public static TlsException FromPeer(AlertDescription alert) =>
        new(alert, $"the peer aborted the connection with alert {Describe(alert)}{Hint(alert)}", isFromPeer: true);

    /// <summary>What an alert from the peer usually means, for the alerts people meet most.</summary>
    private static string Hint(AlertDescription alert) => alert switch
    {
        AlertDescription.CertificateRequired => ": the server requires a client certificate and none was sent",
        AlertDescription.UnknownCa => ": the peer does not trust the issuer of our certificate",
        AlertDescription.BadCertificate => ": the peer refused our certificate",
        AlertDescription.CertificateExpired => ": the peer says our certificate is expired or not yet valid",
        AlertDescription.BadRecordMac => ": a record failed authentication at the peer (altered in transit, or the keys differ)",
        AlertDescription.DecryptError => ": a signature or Finished check failed at the peer",
        _ => "",
    };

    /// <summary>RFC names for alerts, as people see them in other tools' logs.</summary>
    public static string Describe(AlertDescription alert) => alert switch
    {
        AlertDescription.CloseNotify => "close_notify",
        AlertDescription.UnexpectedMessage => "unexpected_message",
        AlertDescription.BadRecordMac => "bad_record_mac",
        AlertDescription.RecordOverflow => "record_overflow",
        AlertDescription.HandshakeFailure => "handshake_failure",
        AlertDescription.BadCertificate => "bad_certificate",
        AlertDescription.UnsupportedCertificate => "unsupported_certificate",
        AlertDescription.CertificateRevoked => "certificate_revoked",
        AlertDescription.CertificateExpired => "certificate_expired",
        AlertDescription.CertificateUnknown => "certificate_unknown",
        AlertDescription.IllegalParameter => "illegal_parameter",
        AlertDescription.UnknownCa => "unknown_ca",
        AlertDescription.AccessDenied => "access_denied",
        AlertDescription.DecodeError => "decode_error",
        AlertDescription.DecryptError => "decrypt_error",
        AlertDescription.ProtocolVersion => "protocol_version",
        AlertDescription.InsufficientSecurity => "insufficient_security",
        AlertDescription.InternalError => "internal_error",
        AlertDescription.InappropriateFallback => "inappropriate_fallback",
        AlertDescription.UserCanceled => "user_canceled",
        AlertDescription.NoRenegotiation => "no_renegotiation",
        AlertDescription.MissingExtension => "missing_extension",
        AlertDescription.UnsupportedExtension => "unsupported_extension",
        AlertDescription.UnrecognizedName => "unrecognized_name",
        AlertDescription.BadCertificateStatusResponse => "bad_certificate_status_response",
        AlertDescription.UnknownPskIdentity => "unknown_psk_identity",
        AlertDescription.CertificateRequired => "certificate_required",
        AlertDescription.NoApplicationProtocol => "no_application_protocol",
        _ => $"alert({(byte)alert})",
    };
}
