using Tessera.Certificates;

namespace Tessera.Cli.Cli;

/// <summary>
/// Wraps the real verifier so the inspector can show the chain and the verdict even when it fails; with --insecure
/// the failure is recorded and the handshake continues.
/// </summary>
internal sealed class RecordingVerifier(ICertificateVerifier inner, bool insecure) : ICertificateVerifier
{
    public TlsException? Failure { get; private set; }
    public bool Verified { get; private set; }

    public void Verify(CertificateVerificationRequest request)
    {
        try
        {
            inner.Verify(request);
            Verified = true;
        }
        catch (TlsException e)
        {
            Failure = e;
            if (!insecure) throw;
        }
    }
}
