using System.Text.Json.Serialization;

namespace Tessera.Acme;

/// <summary>The directory (RFC 8555 §7.1.1), with the renewalInfo resource of RFC 9773 §4 when the server offers it.</summary>
internal sealed record AcmeDirectoryDocument
{
    [JsonPropertyName("newNonce")] public string? NewNonce { get; init; }
    [JsonPropertyName("newAccount")] public string? NewAccount { get; init; }
    [JsonPropertyName("newOrder")] public string? NewOrder { get; init; }
    [JsonPropertyName("revokeCert")] public string? RevokeCert { get; init; }
    [JsonPropertyName("keyChange")] public string? KeyChange { get; init; }
    [JsonPropertyName("renewalInfo")] public string? RenewalInfo { get; init; }
    [JsonPropertyName("meta")] public AcmeDirectoryMeta? Meta { get; init; }
}

internal sealed record AcmeDirectoryMeta
{
    [JsonPropertyName("termsOfService")] public string? TermsOfService { get; init; }
    [JsonPropertyName("externalAccountRequired")] public bool ExternalAccountRequired { get; init; }
    /// <summary>The profiles extension: profile name → description.</summary>
    [JsonPropertyName("profiles")] public Dictionary<string, string>? Profiles { get; init; }
}

/// <summary>An identifier (§9.7.7): "dns" with a name, or "ip" with an address (RFC 8738).</summary>
internal sealed record AcmeIdentifierDocument
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("value")] public string Value { get; init; } = "";
}

/// <summary>A problem document (RFC 7807, §6.7), with subproblems per identifier (§6.7.1).</summary>
internal sealed record AcmeProblem
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("status")] public int? Status { get; init; }
    [JsonPropertyName("identifier")] public AcmeIdentifierDocument? Identifier { get; init; }
    [JsonPropertyName("subproblems")] public List<AcmeProblem>? Subproblems { get; init; }
}

internal sealed record AcmeAccountDocument
{
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("contact")] public List<string>? Contact { get; init; }
    [JsonPropertyName("orders")] public string? Orders { get; init; }
}

internal sealed record AcmeOrderDocument
{
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("expires")] public string? Expires { get; init; }
    [JsonPropertyName("identifiers")] public List<AcmeIdentifierDocument>? Identifiers { get; init; }
    [JsonPropertyName("authorizations")] public List<string>? Authorizations { get; init; }
    [JsonPropertyName("finalize")] public string? Finalize { get; init; }
    [JsonPropertyName("certificate")] public string? Certificate { get; init; }
    [JsonPropertyName("error")] public AcmeProblem? Error { get; init; }
}

internal sealed record AcmeAuthorizationDocument
{
    [JsonPropertyName("identifier")] public AcmeIdentifierDocument? Identifier { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("wildcard")] public bool Wildcard { get; init; }
    [JsonPropertyName("challenges")] public List<AcmeChallengeDocument>? Challenges { get; init; }
}

internal sealed record AcmeChallengeDocument
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("token")] public string? Token { get; init; }
    [JsonPropertyName("error")] public AcmeProblem? Error { get; init; }
}

internal sealed record NewAccountRequest
{
    [JsonPropertyName("termsOfServiceAgreed")] public bool? TermsOfServiceAgreed { get; init; }
    [JsonPropertyName("contact")] public List<string>? Contact { get; init; }
    [JsonPropertyName("onlyReturnExisting")] public bool? OnlyReturnExisting { get; init; }
    [JsonPropertyName("externalAccountBinding")] public FlattenedJws? ExternalAccountBinding { get; init; }
}

/// <summary>A JWS in the flattened JSON serialization (RFC 7515 §7.2.2), which ACME uses for every request.</summary>
internal sealed record FlattenedJws
{
    [JsonPropertyName("protected")] public required string Protected { get; init; }
    [JsonPropertyName("payload")] public required string Payload { get; init; }
    [JsonPropertyName("signature")] public required string Signature { get; init; }
}

internal sealed record NewOrderRequest
{
    [JsonPropertyName("identifiers")] public required List<AcmeIdentifierDocument> Identifiers { get; init; }
    [JsonPropertyName("replaces")] public string? Replaces { get; init; }
    [JsonPropertyName("profile")] public string? Profile { get; init; }
}

internal sealed record FinalizeRequest
{
    [JsonPropertyName("csr")] public required string Csr { get; init; }
}

internal sealed record RenewalInfoDocument
{
    [JsonPropertyName("suggestedWindow")] public SuggestedWindow? SuggestedWindow { get; init; }
    [JsonPropertyName("explanationURL")] public string? ExplanationUrl { get; init; }
}

internal sealed record SuggestedWindow
{
    [JsonPropertyName("start")] public DateTimeOffset? Start { get; init; }
    [JsonPropertyName("end")] public DateTimeOffset? End { get; init; }
}

internal sealed record AccountUpdateRequest
{
    [JsonPropertyName("contact")] public List<string>? Contact { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
}

internal sealed record RevocationRequest
{
    [JsonPropertyName("certificate")] public required string Certificate { get; init; }
    [JsonPropertyName("reason")] public int? Reason { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcmeDirectoryDocument))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(AcmeAccountDocument))]
[JsonSerializable(typeof(AcmeOrderDocument))]
[JsonSerializable(typeof(AcmeAuthorizationDocument))]
[JsonSerializable(typeof(AcmeChallengeDocument))]
[JsonSerializable(typeof(NewAccountRequest))]
[JsonSerializable(typeof(FlattenedJws))]
[JsonSerializable(typeof(NewOrderRequest))]
[JsonSerializable(typeof(FinalizeRequest))]
[JsonSerializable(typeof(RenewalInfoDocument))]
[JsonSerializable(typeof(AccountUpdateRequest))]
[JsonSerializable(typeof(RevocationRequest))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
