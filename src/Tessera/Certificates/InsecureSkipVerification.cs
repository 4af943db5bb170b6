#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Certificates;

/// <summary>
/// Accepts any certificate. For tests and diagnostics only: a connection with this verifier has no
/// protection against an active attacker. The name is long on purpose.
/// </summary>
public sealed class InsecureSkipVerification : ICertificateVerifier
{
    public static InsecureSkipVerification Instance { get; } = new();

    public void Verify(CertificateVerificationRequest request)
    {
        if (request.Chain.Count == 0) throw TlsException.Illegal("the peer sent no certificate");
    }
}
