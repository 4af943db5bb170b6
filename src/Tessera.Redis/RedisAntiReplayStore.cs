using StackExchange.Redis;
using Tessera.Resumption;

namespace Tessera.Redis;

/// <summary>
/// Fleet-wide single use of tickets for 0-RTT (RFC 8446 §8.1): the first instance to redeem a ticket records it in
/// Redis with SET NX, expiring with the ticket, and every later attempt anywhere is told "used". When Redis cannot be
/// asked, the answer is "used": the handshake goes on without early data rather than risk accepting a replay.
/// </summary>
public sealed class RedisAntiReplayStore : IAntiReplayStore
{
    private readonly RedisState _redis;

    /// <param name="redis">The shared connection.</param>
    public RedisAntiReplayStore(RedisState redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
    }

    /// <inheritdoc/>
    public bool TryUse(ReadOnlySpan<byte> ticketId, DateTimeOffset expires, DateTimeOffset now)
    {
        var key = _redis.Key("used", ticketId);
        var left = expires - now;
        if (left <= TimeSpan.Zero) return false;   // an expired ticket is never redeemed
        return _redis.Run(db => db.StringSet(key, RedisValue.EmptyString, left, When.NotExists), false);
    }
}
