namespace Tessera.Resumption;

/// <summary>
/// The default client session store: a few tickets per server, a bounded number of servers, oldest evicted
/// first. Lives as long as the options object that holds it.
/// </summary>
public sealed class InMemoryClientSessionStore(int maxServers = 256, int ticketsPerServer = 4) : IClientSessionStore
{
    private readonly Dictionary<string, LinkedList<ClientSession>> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _keysByAge = new();
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public void Add(string key, ClientSession session)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var list))
            {
                if (_byKey.Count >= maxServers && _keysByAge.First is { } oldest)
                {
                    _byKey.Remove(oldest.Value);
                    _keysByAge.RemoveFirst();
                }
                _byKey[key] = list = new LinkedList<ClientSession>();
                _keysByAge.AddLast(key);
            }
            list.AddLast(session);
            while (list.Count > ticketsPerServer) list.RemoveFirst();
        }
    }

    /// <inheritdoc />
    public ClientSession? Take(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var list)) return null;
            while (list.Last is { } newest)
            {
                list.RemoveLast();
                if (newest.Value.ExpiresAt > now) return newest.Value;
            }
            return null;
        }
    }
}
