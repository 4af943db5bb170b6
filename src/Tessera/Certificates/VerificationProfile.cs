namespace Tessera.Certificates;

/// <summary>
/// Which body of rules a certificate chain is held to, beyond the signatures, validity and name checks every path gets.
/// docs/ARCHITECTURE.md "Verifier profiles" lists each rule with its profile and what X509Chain, OpenSSL and Go do.
/// </summary>
public enum VerificationProfile
{
    /// <summary>
    /// RFC 5280 plus the CA/Browser Forum Baseline Requirements certificate profile as far as a relying party can check
    /// it: subscriber certificates must carry serverAuth/clientAuth EKUs and no anyExtendedKeyUsage, keys are RSA ≥ 2048
    /// or ECDSA on P-256/P-384/P-521, wildcards never sit directly above a public suffix, the subject CN is one of the
    /// SANs. The default for server certificates.
    /// </summary>
    WebPki,

    /// <summary>
    /// RFC 5280 alone, for private PKIs and client certificates, where the Baseline Requirements do not apply: every
    /// structural rule of the RFC (key identifiers, basicConstraints, serial numbers, name constraints, DNS syntax), but
    /// no EKU requirement on leaves and any key Tessera can verify with. The default for client certificates.
    /// </summary>
    Rfc5280,
}
