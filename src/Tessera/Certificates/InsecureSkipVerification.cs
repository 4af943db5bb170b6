namespace Tessera.Certificates;

/// <summary>
/// Accepts any certificate. For tests and diagnostics only: a connection with this verifier has no
/// protection against an active attacker. The name is long on purpose.
/// </summary>
public sealed class InsecureSkipVerification : ICertificateVerifier
{
    /// <summary>The one instance.</summary>
    public static InsecureSkipVerification Instance { get; } = new();

    /// <summary>Accepts any certificate chain; refuses only an empty one (illegal_parameter).</summary>
    public void Verify(CertificateVerificationRequest request)
    {
        if (request.Chain.Count == 0) throw TlsException.Illegal("the peer sent no certificate");
    }
}
