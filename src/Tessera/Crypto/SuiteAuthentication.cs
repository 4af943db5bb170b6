namespace Tessera.Crypto;

/// <summary>Which certificate key signs the ECDHE parameters of a TLS 1.2 suite; TLS 1.3 suites do not say.</summary>
public enum SuiteAuthentication
{
    /// <summary>TLS 1.3: the suite does not constrain the certificate.</summary>
    Any,
    /// <summary>ECDHE_ECDSA suites: ECDSA or Ed25519 keys (RFC 8422 §5.1).</summary>
    Ecdsa,
    /// <summary>ECDHE_RSA suites: RSA keys, signing with PKCS#1 v1.5 or PSS.</summary>
    Rsa,
}
