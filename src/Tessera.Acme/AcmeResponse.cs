using System.Net;

namespace Tessera.Acme;

/// <summary>One answer from the ACME server: status, body (capped), and the headers ACME uses.</summary>
internal sealed record AcmeResponse(HttpStatusCode Status, byte[] Body, string? ContentType, Uri? Location, DateTimeOffset? RetryAfter, IReadOnlyList<Uri> AlternateLinks);
