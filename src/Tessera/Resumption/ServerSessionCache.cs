using System.Security.Cryptography;

namespace Tessera.Resumption;

/// <summary>
/// Stateful tickets: the state stays on the server under a random 32-byte identifier, which is all the client
/// carries. Bounded, least recently issued evicted first, and single-use (a redeemed entry is removed), so a
/// replayed ticket finds nothing.
/// </summary>
public sealed class ServerSessionCache(int capacity = 10_000) : ITicketProtector, IServerSessionStore
{
    private readonly Dictionary<string, LinkedListNode<(string Id, byte[] State)>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, byte[] State)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>How many sessions are kept now.</summary>
    public int Count { get { lock (_lock) return _byId.Count; } }

    /// <summary>Keeps <paramref name="state"/> and returns a random 32-byte identifier as the ticket.</summary>
    public byte[] Protect(ReadOnlySpan<byte> state, DateTimeOffset now)
    {
        var id = RandomNumberGenerator.GetBytes(32);
        Put(id, state);
        return id;
    }

    /// <summary>Keeps <paramref name="state"/> under an identifier chosen earlier (a TLS 1.2 session ID is sent before the session's secrets exist).</summary>
    public void Put(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> state, DateTimeOffset now) => Put(sessionId, state);

    /// <inheritdoc />
    public byte[]? Take(ReadOnlySpan<byte> sessionId, DateTimeOffset now) => Unprotect(sessionId, now);

    /// <summary>Keeps <paramref name="state"/> under <paramref name="id"/>; the oldest session goes (zeroed) when the cache is full.</summary>
    public void Put(ReadOnlySpan<byte> id, ReadOnlySpan<byte> state)
    {
        var key = Convert.ToHexString(id);
        lock (_lock)
        {
            if (_byId.Count >= capacity && _order.First is { } oldest)
            {
                _byId.Remove(oldest.Value.Id);
                CryptographicOperations.ZeroMemory(oldest.Value.State);
                _order.RemoveFirst();
            }
            if (_byId.Remove(key, out var existing)) _order.Remove(existing);
            _byId[key] = _order.AddLast((key, state.ToArray()));
        }
    }

    /// <summary>The state kept under <paramref name="ticket"/>, removed (single use), or null when unknown.</summary>
    public byte[]? Unprotect(ReadOnlySpan<byte> ticket, DateTimeOffset now)
    {
        if (ticket.Length != 32) return null;
        var key = Convert.ToHexString(ticket);
        lock (_lock)
        {
            if (!_byId.Remove(key, out var node)) return null;
            _order.Remove(node);
            return node.Value.State;
        }
    }
}
