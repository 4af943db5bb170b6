namespace Tessera.Proxy.Hosting;

/// <summary>
/// Everything a <see cref="ProxyHost"/> serves: its listeners and sites, and the fleet settings read once at start
/// (Redis, ticket rotation). Made in code, by <see cref="ProxyConfigurationFile"/> from a JSON file, or by a tool from
/// its flags; every one is checked by the same path when the host builds it, with sentences that name the setting as
/// <see cref="NameSetting"/> says.
/// </summary>
public sealed record ProxyConfiguration
{
    /// <summary>The listeners (at least one, each on its own address).</summary>
    public required IReadOnlyList<ProxyListenerConfiguration> Listeners { get; init; }

    /// <summary>The fleet's Redis for resumption state; null: state in this process. Read at start only.</summary>
    public ProxyRedisConfiguration? Redis { get; init; }

    /// <summary>What the ACME sites share (storage, the plain-HTTP listener); needed when any site has an Acme section.</summary>
    public Acme.ProxyAcmeOptions? Acme { get; init; }

    /// <summary>How long a ticket key seals; null: <see cref="ProxyResumption.DefaultRotation"/>. Read at start only.</summary>
    public TimeSpan? TicketRotation { get; init; }

    /// <summary>The file this configuration was read from (watched for changes with the files it names); null when made otherwise.</summary>
    public string? File { get; init; }

    /// <summary>
    /// How an error names a setting ("Listeners:main:Sites:api:Mode", a flag such as "--mode"); null: its path in the
    /// file's shape, after the file's name when <see cref="File"/> is set.
    /// </summary>
    public Func<ProxySetting, string>? NameSetting { get; init; }

    /// <summary>The name errors use for <paramref name="setting"/>.</summary>
    public string Name(ProxySetting setting) =>
        NameSetting?.Invoke(setting) ?? (File is null ? setting.ToString() : $"{File}: {setting}");
}
