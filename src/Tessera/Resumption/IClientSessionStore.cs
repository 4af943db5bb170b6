namespace Tessera.Resumption;

/// <summary>Where a client keeps tickets between connections. Implementations must be thread-safe.</summary>
public interface IClientSessionStore
{
    /// <summary>Keeps a ticket for <paramref name="key"/> (server name and ALPN offer).</summary>
    void Add(string key, ClientSession session);

    /// <summary>Removes and returns the newest unexpired ticket for <paramref name="key"/>: tickets are single-use (RFC 8446 Appendix C.4).</summary>
    ClientSession? Take(string key, DateTimeOffset now);
}
