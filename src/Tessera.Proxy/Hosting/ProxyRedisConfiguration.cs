namespace Tessera.Proxy.Hosting;

/// <summary>The fleet's Redis: where it is, and the key that seals what is stored there.</summary>
public sealed record ProxyRedisConfiguration
{
    /// <summary>StackExchange.Redis configuration: "host:port", several hosts, Sentinel.</summary>
    public required string Configuration { get; init; }

    /// <summary>A file holding 64 hex digits, the key sealing what is stored in Redis (the same on every instance); null: stored as is.</summary>
    public string? KeyFile { get; init; }
}
