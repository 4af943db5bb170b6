namespace Tessera.Resumption;

/// <summary>
/// Remembers which tickets have been redeemed, so a replayed ClientHello (and its 0-RTT data) cannot use one a
/// second time (RFC 8446 §8.1). Back it with a shared store when several servers share ticket keys.
/// </summary>
public interface IAntiReplayStore
{
    /// <summary>Records <paramref name="ticketId"/> as used; false when it was used before (or the store cannot vouch for it).</summary>
    bool TryUse(ReadOnlySpan<byte> ticketId, DateTimeOffset expires, DateTimeOffset now);
}
