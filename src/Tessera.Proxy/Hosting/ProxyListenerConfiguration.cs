namespace Tessera.Proxy.Hosting;

/// <summary>One listener as configured: where it listens, its limits and its sites.</summary>
public sealed record ProxyListenerConfiguration
{
    /// <summary>The most connections or handshakes a limit may be set to.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>The listener's name, in errors and in the key of its sites' resumption state.</summary>
    public required string Name { get; init; }

    /// <summary>An IP address (or localhost) and port; port 0 picks a free one.</summary>
    public required HostPort Listen { get; init; }

    /// <summary>The sites, chosen by SNI (at least one; one at most without server names).</summary>
    public required IReadOnlyList<ProxySiteConfiguration> Sites { get; init; }

    /// <summary>Connections served at once (1 to <see cref="MaxLimit"/>).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Handshakes in progress at once from one client address (1 to <see cref="MaxLimit"/>).</summary>
    public int MaxHandshakesPerClient { get; init; } = 64;

    /// <summary>How long a connection may pass no bytes either way before it is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
