namespace Tessera.Certificates;

/// <summary>
/// Judges a peer's certificate chain. An implementation returns normally to accept and throws a
/// <see cref="TlsException"/> carrying the alert to send (bad_certificate, unknown_ca,
/// certificate_expired …) and a sentence that says which certificate failed and why.
/// </summary>
public interface ICertificateVerifier
{
    /// <summary>Accepts the chain in <paramref name="request"/> by returning, or refuses it by throwing a <see cref="TlsException"/> with the alert to send.</summary>
    void Verify(CertificateVerificationRequest request);
}
