using System.Net;

namespace Tessera.Proxy;

/// <summary>
/// Counts the handshakes in progress per client address and refuses one beyond the cap. The table holds only addresses
/// with handshakes in progress, so a flood of distinct addresses costs one entry each for as long as they handshake.
/// </summary>
internal sealed class ClientHandshakeLimiter(int maxPerClient)
{
    private readonly Dictionary<IPAddress, int> _inProgress = [];

    public int MaxPerClient => maxPerClient;

    /// <summary>The address a limit applies to: an IPv4 client on a dual-stack socket counts as its IPv4 address.</summary>
    public static IPAddress Key(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public bool TryEnter(IPAddress client)
    {
        lock (_inProgress)
        {
            _inProgress.TryGetValue(client, out var n);
            if (n >= maxPerClient) return false;
            _inProgress[client] = n + 1;
            return true;
        }
    }

    public void Leave(IPAddress client)
    {
        lock (_inProgress)
        {
            var n = _inProgress[client] - 1;
            if (n == 0) _inProgress.Remove(client);
            else _inProgress[client] = n;
        }
    }
}
