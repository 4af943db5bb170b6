namespace Tessera.Acme;

/// <summary>An ACME account as the server describes it (RFC 8555 §7.1.2).</summary>
/// <param name="Url">The account URL: the <c>kid</c> of every later request.</param>
/// <param name="Status">"valid", "deactivated" or "revoked".</param>
/// <param name="Contact">The contact URLs ("mailto:…").</param>
public sealed record AcmeAccount(Uri Url, string Status, IReadOnlyList<string> Contact);
