using Tessera.Wire;

namespace Tessera.Connection;

/// <summary>What the server knows about the client when it picks a certificate.</summary>
public sealed record ServerCertificateSelectionContext(string? ServerName, IReadOnlyList<SignatureScheme> SignatureSchemes);
