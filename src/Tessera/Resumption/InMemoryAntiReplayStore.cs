namespace Tessera.Resumption;

/// <summary>
/// Single-use ticket bookkeeping in memory, bounded. Entries leave when their ticket expires; when the store is
/// full of live entries it refuses (the client then gets a full handshake), never forgets early.
/// </summary>
public sealed class InMemoryAntiReplayStore(int capacity = 100_000) : IAntiReplayStore
{
    private readonly Dictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public bool TryUse(ReadOnlySpan<byte> ticketId, DateTimeOffset expires, DateTimeOffset now)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(ticketId));
        lock (_lock)
        {
            if (_used.TryGetValue(key, out var until) && until > now) return false;
            if (_used.Count >= capacity)
            {
                foreach (var (k, v) in _used.ToArray())
                    if (v <= now) _used.Remove(k);
                if (_used.Count >= capacity) return false;
            }
            _used[key] = expires;
            return true;
        }
    }
}
