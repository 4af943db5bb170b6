namespace Tessera.Certificates;

/// <summary>How revocation information (stapled OCSP, caller-supplied CRLs) is used. Tessera never fetches it over the network.</summary>
public enum RevocationMode
{
    /// <summary>Ignore revocation information.</summary>
    Off,
    /// <summary>Refuse a certificate known to be revoked; accept when there is no usable information (the Web PKI's practice).</summary>
    SoftFail,
    /// <summary>Refuse unless a valid, fresh OCSP staple or CRL says the end-entity certificate is good.</summary>
    HardFail,
}
