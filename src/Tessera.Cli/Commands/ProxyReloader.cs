using System.Runtime.InteropServices;
using Tessera.Cli.Cli;
using Tessera.Proxy;

namespace Tessera.Cli.Commands;

/// <summary>
/// Reloads `tessera proxy`'s certificate and key without dropping anything: on SIGHUP, and when either file changes
/// (looked at once a second). New handshakes get the new pair; open connections keep theirs. A pair that does not load
/// (a half-written file, a key that is not the certificate's) is refused with a warn line and the old one stays;
/// since its stamps are remembered, the next change (the writer finishing) is tried again.
/// </summary>
internal sealed class ProxyReloader(ProxyListener proxy, string certFile, string keyFile, ServeLog log) : IDisposable
{
    private readonly Lock _gate = new();
    private (DateTime, long, DateTime, long) _stamp = Stamp(certFile, keyFile);
    private PosixSignalRegistration? _hup;

    /// <summary>Starts listening for SIGHUP (where the OS has it).</summary>
    public void HandleSignals()
    {
        if (OperatingSystem.IsWindows()) return;
        _hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;   // SIGHUP means reload here, not terminate
            Reload("SIGHUP");
        });
    }

    /// <summary>Looks at the files' stamps once a second until <paramref name="cancellationToken"/> ends.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stamp(certFile, keyFile);
                bool changed;
                lock (_gate) changed = now != _stamp;
                if (changed) Reload("the certificate files changed");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The proxy is stopping.
        }
    }

    /// <summary>Loads the pair and swaps it in; says in the log what happened either way.</summary>
    public bool Reload(string why)
    {
        lock (_gate)
        {
            _stamp = Stamp(certFile, keyFile);
            try
            {
                var credential = Files.Credential(certFile, keyFile);
                // Same ticket keys and session cache: sessions made before the reload still resume.
                var site = proxy.Options.Sites[0];
                proxy.Reload(proxy.Options with { Sites = [site with { Tls = site.Tls with { Certificates = [credential] } }] });
                log.Info($"reloaded ({why}): now serving {credential.Leaf.Subject} serial {credential.Leaf.SerialNumber}, expires {credential.Leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
                return true;
            }
            catch (Exception e) when (e is CliException or ArgumentException)
            {
                log.Warn($"reload refused ({why}): {e.Message}; still serving {proxy.Options.Sites[0].Tls.Certificates[0].Leaf.Subject} serial {proxy.Options.Sites[0].Tls.Certificates[0].Leaf.SerialNumber}");
                return false;
            }
        }
    }

    private static (DateTime, long, DateTime, long) Stamp(string cert, string key)
    {
        var c = new FileInfo(cert);
        var k = new FileInfo(key);
        return (c.Exists ? c.LastWriteTimeUtc : default, c.Exists ? c.Length : -1, k.Exists ? k.LastWriteTimeUtc : default, k.Exists ? k.Length : -1);
    }

    public void Dispose() => _hup?.Dispose();
}
