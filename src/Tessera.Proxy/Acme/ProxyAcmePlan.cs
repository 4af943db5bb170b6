using Tessera.Acme;
using Tessera.Proxy.Hosting;

namespace Tessera.Proxy.Acme;

/// <summary>
/// What a configuration would do about certificates, without listening or ordering (<c>tessera proxy --dry-run</c>):
/// the whole configuration is checked as a start would check it, and for each site one line says which certificate
/// it would serve — its files, a stored ACME certificate and when it would be renewed, or an order at start.
/// </summary>
public static class ProxyAcmePlan
{
    /// <summary>One line per site; throws <see cref="ProxyHostException"/> for a configuration a start would refuse.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(ProxyConfiguration configuration, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var lines = new List<string>();
        // The manager is never started: registering a site only reads its stored certificate.
        await using var manager = configuration.Acme is { } options ? new ProxyCertificateManager(options, (_, _) => { }) : null;
        using var resumption = new ProxyResumption();
        var setups = ProxyListenerSetup.Build(configuration, resumption, manager);
        for (var l = 0; l < setups.Count; l++)
        {
            var listener = configuration.Listeners[l];
            for (var i = 0; i < listener.Sites.Count; i++)
            {
                var site = listener.Sites[i];
                var served = setups[l].Options.Sites[i].Tls.Certificates;
                var head = $"site '{site.Name}' on {listener.Listen}";
                if (site.Acme is not { } acme)
                {
                    var leaf = served[0].Leaf;
                    lines.Add($"{head}: {site.Certificate} ({leaf.Subject}, serial {leaf.SerialNumber.ToLowerInvariant()}, expires {leaf.NotAfter.ToUniversalTime():u})");
                    continue;
                }
                var what = $"{head}: {string.Join(", ", site.ServerNames)} from {acme.Directory} by {acme.Challenge}{(acme.Profile is null ? "" : $", profile {acme.Profile}")}";
                if (configuration.Redis is not null)
                {
                    lines.Add($"{what}: the fleet's certificates are in Redis, which a dry run does not read; at start the stored one is served, or one instance orders");
                    continue;
                }
                if (served.Count == 0)
                {
                    lines.Add($"{what}: nothing valid is stored in {configuration.Acme!.Storage}: would order at start (handshakes for these names refused until it arrives)");
                    continue;
                }
                var stored = served[0].Leaf;
                var notBefore = new DateTimeOffset(stored.NotBefore.ToUniversalTime());
                var notAfter = new DateTimeOffset(stored.NotAfter.ToUniversalTime());
                var decision = RenewalPolicy.Decide(notBefore, notAfter, window: null, now, new Random(0));
                lines.Add($"{what}: serves stored serial {stored.SerialNumber.ToLowerInvariant()} until {notAfter:u}; " +
                    (decision.RenewNow ? "would renew at start" : $"renewal due about {decision.RenewAt:u} (the CA's ARI window, when it offers one, decides)"));
            }
        }
        return lines;
    }
}
