namespace Tessera.AspNetCore;

/// <summary>
/// Whether a request arrived as TLS 1.3 early data (0-RTT) and so may be a replay (RFC 8470). Set on every request by
/// <see cref="EarlyDataApplicationBuilderExtensions.UseEarlyDataProtection"/>; also true when a proxy in front
/// forwarded the request with <c>Early-Data: 1</c> (RFC 8470 §5.1).
/// </summary>
public interface IEarlyDataFeature
{
/// <summary>True when the request (or part of it) arrived as early data, or a proxy said it did.</summary>
    bool IsEarlyData { get; }
}

internal sealed record EarlyDataFeature(bool IsEarlyData) : IEarlyDataFeature;
