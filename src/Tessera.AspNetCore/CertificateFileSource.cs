using System.Security.Cryptography;
using Tessera.Certificates;

namespace Tessera.AspNetCore;

/// <summary>
/// A certificate chain and key read from PEM files and read again when either file changes, so a renewed
/// certificate is served without a restart: new handshakes get the new one, established connections keep theirs.
/// The files are checked at most once per <see cref="PollInterval"/>, on the handshake path (no file watcher: they
/// miss renames on some file systems and in containers). A file caught half-written fails to load; the previous
/// certificate stays in use and the load is tried again at the next check.
/// </summary>
public sealed class CertificateFileSource
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private TlsCredential _current;
    private (DateTime, long, DateTime, long) _stamp;
    private long _nextCheck;

    /// <summary>Loads the pair now (a bad pair fails at startup, not per handshake) and watches the files from then on.</summary>
    /// <param name="certificatePath">A PEM chain, end-entity first.</param>
    /// <param name="keyPath">The PEM private key of the end-entity.</param>
    /// <param name="timeProvider">The clock for the poll interval (tests step it); the system clock by default.</param>
    public CertificateFileSource(string certificatePath, string keyPath, TimeProvider? timeProvider = null)
    {
        CertificatePath = Path.GetFullPath(certificatePath);
        KeyPath = Path.GetFullPath(keyPath);
        _time = timeProvider ?? TimeProvider.System;
        _stamp = Stamp();
        _current = TlsCredential.FromPemFiles(CertificatePath, KeyPath);   // the first load must succeed: fail at startup, not per handshake
        _nextCheck = _time.GetTimestamp() + Ticks(PollInterval);
    }

    /// <summary>The chain file, as a full path.</summary>
    public string CertificatePath { get; }
    /// <summary>The key file, as a full path.</summary>
    public string KeyPath { get; }

    /// <summary>How often the files are looked at (default 1 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Raised when a changed file could not be loaded (the previous certificate stays in use).</summary>
    public event Action<CertificateFileSource, Exception>? ReloadFailed;

    /// <summary>Raised with the new certificate after a successful reload.</summary>
    public event Action<CertificateFileSource, TlsCredential>? Reloaded;

    /// <summary>The certificate to use now, reloaded first if the files changed since the last check.</summary>
    public TlsCredential Current
    {
        get
        {
            if (_time.GetTimestamp() < Volatile.Read(ref _nextCheck)) return Volatile.Read(ref _current);
            lock (_lock)
            {
                if (_time.GetTimestamp() >= _nextCheck)
                {
                    _nextCheck = _time.GetTimestamp() + Ticks(PollInterval);
                    var stamp = Stamp();
                    if (stamp != _stamp) TryReload(stamp);
                }
                return _current;
            }
        }
    }

    private void TryReload((DateTime, long, DateTime, long) stamp)
    {
        TlsCredential next;
        try
        {
            next = TlsCredential.FromPemFiles(CertificatePath, KeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException or TlsException)
        {
            ReloadFailed?.Invoke(this, e);
            return;   // _stamp unchanged: tried again at the next check
        }
        _stamp = stamp;
        // The previous credential is not disposed: handshakes in flight may still be signing with it.
        Volatile.Write(ref _current, next);
        Reloaded?.Invoke(this, next);
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var c = new FileInfo(CertificatePath);
        var k = new FileInfo(KeyPath);
        return (c.Exists ? c.LastWriteTimeUtc : default, c.Exists ? c.Length : -1, k.Exists ? k.LastWriteTimeUtc : default, k.Exists ? k.Length : -1);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
