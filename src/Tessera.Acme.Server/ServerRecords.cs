using System.Text.Json.Serialization;

namespace Tessera.Acme.Server;

/// <summary>An ACME account as the server stores it.</summary>
internal sealed class AccountRecord
{
    public required string Id { get; init; }
    /// <summary>The account key's JWK in RFC 7638 canonical form (replaced by a key change).</summary>
    public required string Key { get; set; }
    public required string Thumbprint { get; set; }
    public string Status { get; set; } = "valid";
    public List<string> Contact { get; set; } = [];
    public DateTimeOffset Created { get; init; }
    /// <summary>The External Account Binding key identifier this account was bound with, if any.</summary>
    public string? EabKeyId { get; init; }
}

/// <summary>An identifier (§9.7.7): "dns" or "ip" (RFC 8738), its value canonical.</summary>
internal sealed record IdentifierRecord(string Type, string Value);

internal sealed class OrderRecord
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required List<IdentifierRecord> Identifiers { get; init; }
    public required List<string> AuthorizationIds { get; init; }
    public required string Profile { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Expires { get; init; }
    /// <summary>The RFC 9773 identifier of the certificate this order renews.</summary>
    public string? Replaces { get; init; }
    /// <summary>"pending"/"ready" are worked out from the authorizations; stored: "processing", "valid", "invalid".</summary>
    public string? FinalStatus { get; set; }
    public string? CertificateSerial { get; set; }
    public ProblemRecord? Error { get; set; }
}

internal sealed class AuthorizationRecord
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required IdentifierRecord Identifier { get; init; }
    public bool Wildcard { get; init; }
    public string Status { get; set; } = "pending";
    public DateTimeOffset Expires { get; set; }
    public required List<ChallengeRecord> Challenges { get; init; }
}

internal sealed class ChallengeRecord
{
    public required string Type { get; init; }
    public required string Token { get; init; }
    public string Status { get; set; } = "pending";
    public DateTimeOffset? Validated { get; set; }
    public ProblemRecord? Error { get; set; }
}

internal sealed record ProblemRecord(string Type, string Detail, int? Status);

/// <summary>A certificate the server issued.</summary>
internal sealed class CertificateRecord
{
    /// <summary>Lower-case hex, as the CA's issued.txt has it.</summary>
    public required string Serial { get; init; }
    public required string AccountId { get; init; }
    public required string OrderId { get; init; }
    public required string AriId { get; init; }
    public required string ChainPem { get; init; }
    public required List<IdentifierRecord> Identifiers { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    /// <summary>The order that renewed this one through `replaces` (RFC 9773 §5), once that order is finalized.</summary>
    public string? ReplacedByOrder { get; set; }
    public DateTimeOffset? Revoked { get; set; }
    public int? RevocationReason { get; set; }
}

/// <summary>A renewal window the operator set (`tessera ca ari advance`), overriding the computed one.</summary>
internal sealed record RenewalWindowRecord(DateTimeOffset Start, DateTimeOffset End, string? Reason);

/// <summary>External Account Binding keys (`tessera ca eab add`): key identifier → base64url MAC key.</summary>
internal sealed class EabKeysRecord
{
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountRecord))]
[JsonSerializable(typeof(OrderRecord))]
[JsonSerializable(typeof(AuthorizationRecord))]
[JsonSerializable(typeof(CertificateRecord))]
[JsonSerializable(typeof(RenewalWindowRecord))]
[JsonSerializable(typeof(EabKeysRecord))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
