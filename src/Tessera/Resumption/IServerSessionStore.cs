namespace Tessera.Resumption;

/// <summary>
/// Server-side TLS 1.2 sessions by session ID (RFC 5246 §7.4.1.3). Pluggable so several servers can share one
/// (a distributed cache); the state is secret and must be stored accordingly. Implementations must be thread-safe.
/// </summary>
public interface IServerSessionStore
{
    /// <summary>Keeps <paramref name="state"/> (secret) under <paramref name="sessionId"/>, replacing what was there.</summary>
    void Put(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> state, DateTimeOffset now);

    /// <summary>The state, removed (single use), or null when unknown.</summary>
    byte[]? Take(ReadOnlySpan<byte> sessionId, DateTimeOffset now);
}
