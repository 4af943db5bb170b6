namespace Tessera.Connection;

/// <summary>Whether a server asks clients for a certificate, and whether it insists.</summary>
public enum ClientCertificateMode
{
    /// <summary>No CertificateRequest is sent.</summary>
    None,
    /// <summary>A certificate is requested; a client without one may continue.</summary>
    Optional,
    /// <summary>A client without a valid certificate is refused with certificate_required.</summary>
    Required,
}
