namespace Tessera.Certificates;

/// <summary>Where a certificate sits in a candidate path; the profile rules differ by position.</summary>
internal enum CertificateRole
{
    /// <summary>The trust anchor the path ends at (a root from the trust store).</summary>
    Anchor,
    /// <summary>A CA certificate between the anchor and the end entity.</summary>
    Intermediate,
    /// <summary>The end-entity (subscriber) certificate.</summary>
    Leaf,
}
