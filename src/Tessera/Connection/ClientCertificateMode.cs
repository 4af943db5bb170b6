#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Connection;

public enum ClientCertificateMode
{
    /// <summary>No CertificateRequest is sent.</summary>
    None,
    /// <summary>A certificate is requested; a client without one may continue.</summary>
    Optional,
    /// <summary>A client without a valid certificate is refused with certificate_required.</summary>
    Required,
}
