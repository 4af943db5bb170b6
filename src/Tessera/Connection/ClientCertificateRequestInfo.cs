using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>What the server asked for when it requested a client certificate.</summary>
public sealed record ClientCertificateRequestInfo(
    string? ServerName,
    IReadOnlyList<SignatureScheme> SignatureSchemes,
    IReadOnlyList<byte[]> CertificateAuthorities);
