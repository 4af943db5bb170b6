using Tessera.Pki;

namespace Tessera.Acme.Server;

/// <summary>
/// What an operator changes in an ACME server's state from outside the process (the server reads these files per
/// request, so they take effect while it runs): External Account Binding keys, and a certificate's renewal window.
/// </summary>
public static class AcmeServerState
{
    /// <summary>Makes an External Account Binding key for <paramref name="keyId"/>; returns the MAC key (base64url, 256 bits) to hand to the account's owner.</summary>
    /// <exception cref="PkiException">The identifier exists or is not 1 to 64 printable characters.</exception>
    public static string AddExternalAccountKey(LocalCa ca, string keyId) => AcmeServerStore.AddEabKey(AcmeServerStore.For(ca), keyId);

    /// <summary>
    /// Moves the renewal window (RFC 9773) of the certificate with <paramref name="serial"/> to now: a window that has
    /// just ended, so every ARI client renews at its next check, as a CA arranges before a mass revocation.
    /// </summary>
    /// <exception cref="PkiException">The server issued no such certificate.</exception>
    public static (DateTimeOffset Start, DateTimeOffset End) AdvanceRenewal(LocalCa ca, string serial, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var (start, end) = (now - TimeSpan.FromMinutes(1), now);
        AcmeServerStore.SetRenewalWindow(AcmeServerStore.For(ca), serial.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(),
            new RenewalWindowRecord(start, end, "advanced by the operator"));
        return (start, end);
    }
}
