namespace Tessera.Acme;

/// <summary>
/// Publishes and withdraws the TXT records of dns-01 (RFC 8555 §8.4) in a DNS zone: a DNS host's API, an RFC 2136
/// update, or a script (<see cref="ExecDns01Provider"/>).
/// </summary>
public interface IDns01Provider
{
    /// <summary>Adds a TXT record <paramref name="value"/> at <paramref name="name"/> (absolute, ending in a dot: "_acme-challenge.example.com.").</summary>
    Task PresentAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Removes that TXT record again.</summary>
    Task CleanupAsync(string name, string value, CancellationToken cancellationToken);
}
