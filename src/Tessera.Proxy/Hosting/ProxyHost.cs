using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Tessera.Certificates;
using Tessera.Diagnostics;
using Tessera.Proxy.Ocsp;
using Tessera.Redis;

namespace Tessera.Proxy.Hosting;

/// <summary>
/// A running proxy: every listener of a <see cref="ProxyConfiguration"/>, with OCSP stapling and the resumption state
/// (in this process, or in the fleet's Redis) they share. <see cref="Start"/> builds and listens; <see cref="Reload"/>
/// asks for the configuration again and swaps it in only when all of it is good (a tool calls it on SIGHUP or when a
/// file in <see cref="WatchedFiles"/> changes); <see cref="RunAsync"/> serves until stopped and then lets open
/// connections finish. Redis and the ticket rotation are read at start only: the connection and the keys outlive reloads.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly Func<ProxyConfiguration> _configure;
    private readonly ProxyHostOptions _options;
    private readonly Lock _gate = new();
    private readonly List<ProxyListener> _listeners = [];
    private RedisState? _redis;
    private ProxyResumption? _resumption;
    private OcspStapler? _stapler;
    private Acme.ProxyCertificateManager? _acme;
    private Acme.AcmeHttpListener? _acmeHttp;
    private ProxyConfiguration? _configuration;
    private IReadOnlyList<string> _files = [];

    /// <param name="configure">Gives the configuration at start and at every reload (reading a file again, for instance); may throw <see cref="ProxyHostException"/>.</param>
    /// <param name="options">Where the host reports connections, requests and events.</param>
    public ProxyHost(Func<ProxyConfiguration> configure, ProxyHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure = configure;
        _options = options ?? new ProxyHostOptions();
    }

    /// <summary>The configuration being served.</summary>
    public ProxyConfiguration Configuration => _configuration ?? throw new InvalidOperationException("not started");

    /// <summary>The listeners, in the configuration's order.</summary>
    public IReadOnlyList<ProxyListener> Listeners => _listeners;

    /// <summary>The files the configuration was built from (its own file, certificates, keys, client CAs): a change to one is a reason to <see cref="Reload"/>.</summary>
    public IReadOnlyList<string> WatchedFiles
    {
        get
        {
            lock (_gate) return _files;
        }
    }

    /// <summary>What is served, for logs: each site's certificate (with the site's name when there are several).</summary>
    public string Serving
    {
        get
        {
            var parts = new List<string>();
            var sites = 0;
            foreach (var p in _listeners) sites += p.Options.Sites.Count;
            foreach (var p in _listeners)
            foreach (var site in p.Options.Sites)
            {
                if (site.Tls.Certificates.Count == 0)
                {
                    parts.Add($"site '{site.Name}' waiting for its ACME certificate");
                    continue;
                }
                var leaf = site.Tls.Certificates[0].Leaf;
                var text = $"{leaf.Subject} serial {leaf.SerialNumber}, expires {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}";
                parts.Add(sites > 1 ? $"site '{site.Name}' {text}" : text);
            }
            return string.Join("; ", parts);
        }
    }

    /// <summary>Reads the configuration, connects Redis if it names one, builds every listener and starts listening; throws <see cref="ProxyHostException"/>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_configuration is not null) throw new InvalidOperationException("already started");
            var configuration = _configure();
            var rotation = configuration.TicketRotation;
            if (rotation is { } r && (r < ProxyResumption.MinRotation || r > ProxyResumption.MaxRotation))
                throw ProxyListenerSetup.Invalid(configuration, new ProxySetting(null, null, "TicketRotation"),
                    $"must be {ProxyResumption.MinRotation.TotalSeconds} to {ProxyResumption.MaxRotation.TotalSeconds} seconds, not {r.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            _redis = ConnectRedis(configuration);
            _resumption = new ProxyResumption(_redis, rotation);
            _stapler = new OcspStapler(log: (c, ok, message) =>
                Tell(!ok, $"{c.Credential.Leaf.Subject} serial {c.Credential.Leaf.SerialNumber}: {message}"));
            if (configuration.Acme is { } acmeOptions)
            {
                _acme = new Acme.ProxyCertificateManager(acmeOptions, Tell, _redis is { } fleet ? new Redis.RedisAcmeStore(fleet) : null);
                _acme.Changed = AcmeCertificateChanged;
            }
            var setups = ProxyListenerSetup.Build(configuration, _resumption, _acme);
            foreach (var options in Stapled(setups))
            {
                var listener = new ProxyListener(options, _options.Connections, _options.Requests);
                _listeners.Add(listener);
                try
                {
                    listener.Start();
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // Kestrel reports a port in use as an IOException around the SocketException.
                    var socket = e as SocketException ?? e.InnerException as SocketException;
                    throw new ProxyHostException(ProxyHostFailure.Listen,
                        $"cannot listen on {options.Listen}: {(socket is not null ? SocketErrorText.Of(socket) : e.Message)}", e);
                }
            }
            if (configuration.Acme?.HttpListen is { } httpListen && _acme is not null)
            {
                var ip = httpListen.ListenAddress() ?? throw ProxyListenerSetup.Invalid(configuration, new ProxySetting(null, null, "Acme:HttpListen"), $"needs an IP address, not '{httpListen.Host}'");
                _acmeHttp = Acme.AcmeHttpListener.Start(new System.Net.IPEndPoint(ip, httpListen.Port), _acme.HttpAnswer);
            }
            _configuration = configuration;
            _files = Files(configuration, setups);
            WarnAboutCertificates();
            _acme?.Start();
        }
    }

    /// <summary>The address the plain-HTTP listener (http-01 answers and redirects) is bound to, if there is one.</summary>
    public System.Net.IPEndPoint? AcmeHttpEndPoint => _acmeHttp?.EndPoint;

    /// <summary>The ACME sites' certificate manager (null without ACME sites).</summary>
    public Acme.ProxyCertificateManager? Certificates => _acme;

    /// <summary>A certificate was obtained or renewed: reload, as for a changed certificate file (a refused reload keeps the old configuration and says why).</summary>
    private void AcmeCertificateChanged()
    {
        try
        {
            Tell(false, $"certificate swapped in: {Reload()}");
        }
        catch (ProxyHostException e)
        {
            Tell(true, $"a new ACME certificate is stored but the reload to serve it was refused: {e.Message}");
        }
    }

    /// <summary>
    /// Asks for the configuration again and swaps it in only when all of it is good: every listener's new options are
    /// checked before any is reloaded, so a bad site anywhere leaves the whole old configuration serving. New handshakes
    /// get the new settings; open connections keep theirs. Returns <see cref="Serving"/>; throws <see cref="ProxyHostException"/>.
    /// </summary>
    public string Reload()
    {
        lock (_gate)
        {
            if (_configuration is null || _resumption is null || _stapler is null) throw new InvalidOperationException("not started");
            var next = _configure();
            var setups = ProxyListenerSetup.Build(next, _resumption, _acme);
            if (setups.Count != _listeners.Count)
                throw new ProxyHostException(ProxyHostFailure.Configuration, $"the number of listeners changed from {_listeners.Count} to {setups.Count}; that needs a restart");
            for (var i = 0; i < setups.Count; i++)
            {
                var current = _listeners[i].Options;
                var n = setups[i].Options;
                if (!n.Listen.Equals(current.Listen))
                    throw new ProxyHostException(ProxyHostFailure.Configuration, $"listener '{setups[i].Name}' moved from {current.Listen} to {n.Listen}; that needs a restart");
                if (n.MaxConnections != current.MaxConnections || n.MaxHandshakesPerClient != current.MaxHandshakesPerClient)
                    throw new ProxyHostException(ProxyHostFailure.Configuration, $"listener '{setups[i].Name}': MaxConnections and MaxHandshakesPerClient need a restart to change");
            }
            var stapled = Stapled(setups);
            for (var i = 0; i < stapled.Count; i++) _listeners[i].Reload(stapled[i]);
            _configuration = next;
            _files = Files(next, setups);
            WarnAboutCertificates();
            return Serving;
        }
    }

    /// <summary>Serves until <paramref name="stop"/>, then stops accepting and gives open connections up to <paramref name="drain"/> to finish.</summary>
    public Task RunAsync(TimeSpan drain, CancellationToken stop)
    {
        if (_configuration is null) throw new InvalidOperationException("not started");
        var running = new Task[_listeners.Count];
        for (var i = 0; i < _listeners.Count; i++) running[i] = _listeners[i].RunAsync(drain, stop);
        return Task.WhenAll(running);
    }

    /// <summary>Closes the listeners, stops OCSP refreshing and the ticket-key rings, and closes the Redis connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_acme is not null) await _acme.DisposeAsync();
        if (_acmeHttp is not null) await _acmeHttp.DisposeAsync();
        foreach (var l in _listeners) await l.DisposeAsync();
        if (_stapler is not null) await _stapler.DisposeAsync();
        _resumption?.Dispose();
        _redis?.Dispose();
    }

    /// <summary>Says (and counts) every served certificate that is expired, not yet valid or expiring within the warning threshold.</summary>
    private void WarnAboutCertificates()
    {
        var now = _options.Clock.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in _listeners)
        foreach (var site in p.Options.Sites)
        foreach (var credential in site.Tls.Certificates)
        {
            if (!seen.Add(credential.Leaf.Thumbprint)) continue;
            if (CertificateValidity.Check(credential.Leaf, now, _options.ExpiryWarning) is not { } problem) continue;
            ProxyMetrics.CertificateWarning(problem.Reason);
            Tell(true, $"site '{site.Name}': {problem.Sentence}");
        }
    }

    private void Tell(bool warning, string message) => _options.Events?.Invoke(new ProxyHostEvent(warning, message));

    private static List<string> Files(ProxyConfiguration configuration, IReadOnlyList<ProxyListenerSetup> setups)
    {
        var files = new List<string>();
        foreach (var s in setups) files.AddRange(s.Files);
        if (configuration.File is { } file) files.Add(Path.GetFullPath(file));
        return files;
    }

    /// <summary>The listeners' options with OCSP stapling applied to every site that has it on; the stapler stops refreshing certificates no longer served.</summary>
    private List<ProxyListenerOptions> Stapled(IReadOnlyList<ProxyListenerSetup> setups)
    {
        var result = new List<ProxyListenerOptions>(setups.Count);
        var served = new List<TlsCredential>();
        foreach (var l in setups)
        {
            var sites = new List<ProxySite>(l.Options.Sites.Count);
            foreach (var site in l.Options.Sites)
            {
                if (l.WithoutOcsp.Contains(site.Name))
                {
                    sites.Add(site);
                    continue;
                }
                served.AddRange(site.Tls.Certificates);
                sites.Add(site with { Tls = _stapler!.Apply(site.Tls) });
            }
            result.Add(l.Options with { Sites = sites });
        }
        _stapler!.Retain(served);
        return result;
    }

    /// <summary>The Redis connection for the fleet's resumption state (null without one); outages are told once each way.</summary>
    private RedisState? ConnectRedis(ProxyConfiguration configuration)
    {
        if (configuration.Redis is not { } redis) return null;
        byte[] key = [];
        if (redis.KeyFile is { } file)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProxyHostException(ProxyHostFailure.File, $"cannot read {file}: {e.Message}", e);
            }
            var text = Encoding.ASCII.GetString(bytes).Trim();
            CryptographicOperations.ZeroMemory(bytes);
            try
            {
                key = Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                key = [];
            }
            if (key.Length != 32)
                throw new ProxyHostException(ProxyHostFailure.Configuration, $"{file} must hold 64 hex digits (a 32-byte key), e.g. from `openssl rand -hex 32`");
        }
        // The resumption interfaces are synchronous and StackExchange.Redis completes replies on the thread pool: a
        // larger minimum keeps handshakes waiting on Redis from starving those completions (see Tessera.Redis).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        RedisState state;
        try
        {
            state = RedisState.Connect(redis.Configuration, sealingKey: key);
        }
        catch (ArgumentException e)
        {
            throw ProxyListenerSetup.Invalid(configuration, new ProxySetting(null, null, "Redis"), $"'{redis.Configuration}': {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
        state.Changed += (_, why) =>
        {
            if (why is null) Tell(false, $"Redis at {redis.Configuration} answers again: sessions, tickets and 0-RTT are shared with the fleet");
            else Tell(true, $"Redis at {redis.Configuration} does not answer ({why}); until it does: full handshakes for sessions it holds, and no 0-RTT");
        };
        ProxyMetrics.Redis(() => state.IsAvailable);
        if (!state.Connection.IsConnected) Tell(true, $"Redis at {redis.Configuration} does not answer yet; serving without shared sessions until it does");
        return state;
    }
}
