namespace Tessera.Proxy.Hosting;

/// <summary>Where a setting sits in a <see cref="ProxyConfiguration"/>, for the sentences that name it.</summary>
/// <param name="Listener">The listener's name, or null for a setting of the whole configuration (Redis, TicketRotation).</param>
/// <param name="Site">The site's name, or null for a listener's own setting.</param>
/// <param name="Key">The setting's name as the configuration file spells it ("Backend", "MaxConnections").</param>
public readonly record struct ProxySetting(string? Listener, string? Site, string Key)
{
    /// <summary>The setting's path in the configuration file's shape: "Listeners:main:Sites:api:Backend".</summary>
    public override string ToString() =>
        Listener is null ? Key : Site is null ? $"Listeners:{Listener}:{Key}" : $"Listeners:{Listener}:Sites:{Site}:{Key}";
}
