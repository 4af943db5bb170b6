using Tessera.Redis;
using Tessera.Resumption;

namespace Tessera.Proxy.Hosting;

/// <summary>
/// Ticket keys, session caches and 0-RTT anti-replay stores by "listener/site", kept across reloads so that a session
/// made before a reload still resumes after it, and early data seen before it is still not accepted twice (a site's
/// tickets are never accepted by another site). With Redis they live there, under a key prefix per listener/site,
/// shared by every instance of the fleet; otherwise in this process.
/// </summary>
public sealed class ProxyResumption : IDisposable
{
    /// <summary>How long a ticket key seals by default (nginx and HAProxy leave rotation to the operator; 12 hours bounds what a stolen key opens).</summary>
    public static readonly TimeSpan DefaultRotation = TimeSpan.FromHours(12);

    /// <summary>The least a ticket key may seal for.</summary>
    public static readonly TimeSpan MinRotation = TimeSpan.FromSeconds(1);

    /// <summary>The most a ticket key may seal for.</summary>
    public static readonly TimeSpan MaxRotation = TimeSpan.FromDays(7);

    private static readonly TimeSpan MaxTicketLifetime = TimeSpan.FromDays(1);
    private readonly RedisState? _redis;
    private readonly Dictionary<string, ProxySiteResumption> _bySite = new(StringComparer.Ordinal);

    /// <param name="redis">The fleet's Redis, or null for state in this process.</param>
    /// <param name="ticketRotation">How long a ticket key seals (<see cref="MinRotation"/> to <see cref="MaxRotation"/>); tickets are issued with a lifetime their keys are sure to outlive.</param>
    public ProxyResumption(RedisState? redis = null, TimeSpan? ticketRotation = null)
    {
        var rotation = ticketRotation ?? DefaultRotation;
        if (rotation < MinRotation || rotation > MaxRotation)
            throw new ArgumentOutOfRangeException(nameof(ticketRotation), rotation, $"a ticket key seals for {MinRotation.TotalSeconds} to {MaxRotation.TotalSeconds} seconds");
        _redis = redis;
        TicketRotation = rotation;
        // In process a key opens until the rotation after the one that retired it (one interval guaranteed); the Redis
        // ring keeps two retired generations (two intervals). The lifetime sent to clients promises no more than that,
        // so a client never offers a ticket its lifetime says is good and gets a full handshake instead.
        var guaranteed = redis is null ? TicketRotation : TicketRotation * 2;
        TicketLifetime = guaranteed < MaxTicketLifetime ? guaranteed : MaxTicketLifetime;
    }

    /// <summary>How long a ticket key seals before the next takes over.</summary>
    public TimeSpan TicketRotation { get; }

    /// <summary>The ticket_lifetime every site's tickets carry (at most a day).</summary>
    public TimeSpan TicketLifetime { get; }

    /// <summary>The state of one site of one listener, made on first use and the same object from then on.</summary>
    public ProxySiteResumption For(string listener, string site)
    {
        lock (_bySite)
        {
            var key = listener + "/" + site;
            if (!_bySite.TryGetValue(key, out var state))
            {
                if (_redis is null)
                {
                    state = new ProxySiteResumption(new TicketKeyRing(TicketRotation), new ServerSessionCache(), new InMemoryAntiReplayStore(), TicketLifetime);
                }
                else
                {
                    var view = _redis.WithPrefix($"{_redis.Prefix}{key}:");
                    // Keys are read every tenth of a rotation (at most every 10 s), so a short rotation still gets its lead time.
                    var refresh = TicketRotation / 10 < TimeSpan.FromSeconds(10) ? TicketRotation / 10 : TimeSpan.FromSeconds(10);
                    state = new ProxySiteResumption(new RedisTicketKeyRing(view, TicketRotation, refresh), new RedisSessionStore(view),
                        new RedisAntiReplayStore(view), TicketLifetime);
                }
                _bySite[key] = state;
            }
            return state;
        }
    }

    /// <summary>Stops the Redis key rings' refresh loops.</summary>
    public void Dispose()
    {
        lock (_bySite)
            foreach (var s in _bySite.Values)
                if (s.Tickets is IDisposable d) d.Dispose();
    }
}
