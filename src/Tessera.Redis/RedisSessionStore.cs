using StackExchange.Redis;
using Tessera.Resumption;

namespace Tessera.Redis;

/// <summary>
/// The TLS 1.2 session cache (RFC 5246 §7.4.1.3) in Redis, shared by every instance: a session made on one resumes on
/// another. Each entry expires with the session's lifetime and is taken once (GETDEL), like the in-process cache.
/// With Redis unreachable nothing is stored or found: clients make full handshakes, nothing fails.
/// </summary>
public sealed class RedisSessionStore : IServerSessionStore
{
    private readonly RedisState _redis;

    /// <param name="redis">The shared connection.</param>
    /// <param name="lifetime">How long a session stays resumable (default 12 hours, as the in-process cache).</param>
    public RedisSessionStore(RedisState redis, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        Lifetime = lifetime ?? TimeSpan.FromHours(12);
        if (Lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "the lifetime must be above zero");
    }

    /// <summary>How long a stored session stays resumable.</summary>
    public TimeSpan Lifetime { get; }

    /// <inheritdoc/>
    public void Put(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> state, DateTimeOffset now)
    {
        var key = _redis.Key("session", sessionId);
        var value = _redis.Seal(key, state);
        _redis.Run(db => db.StringSet(key, value, Lifetime), false);
    }

    /// <inheritdoc/>
    public byte[]? Take(ReadOnlySpan<byte> sessionId, DateTimeOffset now)
    {
        var key = _redis.Key("session", sessionId);
        var stored = _redis.Run(db => (byte[]?)db.StringGetDelete(key), null);
        return stored is null ? null : _redis.Open(key, stored);
    }
}
