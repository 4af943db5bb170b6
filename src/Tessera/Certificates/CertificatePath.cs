namespace Tessera.Certificates;

/// <summary>A candidate certification path, trust anchor first, end-entity last.</summary>
internal sealed record CertificatePath(IReadOnlyList<ParsedCertificate> Certificates)
{
    public ParsedCertificate Anchor => Certificates[0];
    public ParsedCertificate Leaf => Certificates[^1];
}
