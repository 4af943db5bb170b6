using System.Runtime.InteropServices;
using Tessera.Cli.Cli;

namespace Tessera.Cli.Commands;

/// <summary>
/// Reloads `tessera proxy` without dropping anything: on SIGHUP, and when a file it was built from changes (the
/// configuration file, certificates, keys, client CAs; looked at once a second). <paramref name="reload"/> builds and
/// swaps in the new settings, returning what is served now and the files to watch from then on; when it throws (a
/// half-written file, a key that is not the certificate's, a configuration error) a warn line says why and the old
/// settings stay. Since the stamps are remembered either way, the next change (the writer finishing) is tried again.
/// </summary>
internal sealed class ProxyReloader(Func<(string Serving, IReadOnlyList<string> Files)> reload, Func<string> serving, IReadOnlyList<string> files, ServeLog log) : IDisposable
{
    private readonly Lock _gate = new();
    private IReadOnlyList<string> _files = files;
    private Stamp[] _stamps = Stamps(files);
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
                bool changed;
                lock (_gate) changed = !Stamps(_files).AsSpan().SequenceEqual(_stamps);
                if (changed) Reload("a file changed");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The proxy is stopping.
        }
    }

    /// <summary>Builds and swaps in the new settings; says in the log what happened either way.</summary>
    public bool Reload(string why)
    {
        lock (_gate)
        {
            _stamps = Stamps(_files);
            try
            {
                var (now, next) = reload();
                _files = next;
                _stamps = Stamps(next);
                log.Info($"reloaded ({why}): now serving {now}");
                return true;
            }
            catch (Exception e) when (e is CliException or Tessera.Proxy.Hosting.ProxyHostException or ArgumentException)
            {
                log.Warn($"reload refused ({why}): {e.Message}; still serving {serving()}");
                return false;
            }
        }
    }

    private readonly record struct Stamp(DateTime Written, long Length);

    private static Stamp[] Stamps(IReadOnlyList<string> files)
    {
        var result = new Stamp[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var f = new FileInfo(files[i]);
            result[i] = f.Exists ? new Stamp(f.LastWriteTimeUtc, f.Length) : new Stamp(default, -1);
        }
        return result;
    }

    public void Dispose() => _hup?.Dispose();
}
