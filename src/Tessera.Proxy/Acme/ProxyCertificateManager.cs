using System.Security.Cryptography.X509Certificates;
using Tessera.Acme;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Pki;
using Tessera.Proxy.Hosting;

namespace Tessera.Proxy.Acme;

/// <summary>
/// The certificates of a proxy's ACME sites, as Caddy manages them: at start a stored certificate that is still valid
/// is served at once; a site without one is ordered in the background (its handshakes are refused with
/// unrecognized_name until then); each certificate is renewed when the CA's ACME Renewal Information window says so,
/// else at two thirds of its lifetime plus up to a twentieth of it as jitter. A new certificate is stored (an
/// <see cref="AcmeFileStore"/> pair, written atomically) and then swapped in through the host's reload, the path a
/// changed certificate file takes, so new handshakes get it and none fails. A failure is retried with a doubling
/// backoff and never removes a certificate that is still valid. Challenges are answered by the proxy itself:
/// tls-alpn-01 on the site's own listener (<see cref="TlsAlpn"/>), http-01 on the plain-HTTP listener (<see cref="Http"/>).
/// </summary>
public sealed class ProxyCertificateManager : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);
    private readonly ProxyAcmeOptions _options;
    private static readonly TimeSpan LockTime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan FleetPoll = TimeSpan.FromSeconds(2);
    private readonly IAcmeStore _store;
    private readonly Redis.RedisAcmeStore? _fleet;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TlsCredential> _fleetAlpn = new(StringComparer.Ordinal);
    private readonly Action<bool, string> _tell;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<Uri, AcmeClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Random _random = new();
    private Task? _loop;

    /// <param name="options">Storage, the plain-HTTP listener, retry and clock.</param>
    /// <param name="tell">Told each step (false) and each failure (true), one line each.</param>
    /// <param name="fleet">
    /// The fleet's shared ACME state (certificates, account, locks, challenge answers) in Redis; null: one instance,
    /// with its certificates in <see cref="ProxyAcmeOptions.Storage"/>.
    /// </param>
    public ProxyCertificateManager(ProxyAcmeOptions options, Action<bool, string> tell, Redis.RedisAcmeStore? fleet = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _fleet = fleet;
        _store = fleet is null ? new AcmeFileStore(options.Storage) : fleet;
        _tell = tell;
        TlsAlpn = new TlsAlpn01Answers(options.Clock);
    }

    /// <summary>
    /// The tls-alpn-01 validation certificate for a ClientHello's SNI: this instance's own answer, or in a fleet the
    /// one another instance published (the CA may reach any instance).
    /// </summary>
    public TlsCredential? TlsAlpnAnswer(string? serverName)
    {
        if (TlsAlpn.For(serverName) is { } own) return own;
        if (_fleet is null || serverName is null || _fleet.GetAnswer("tls-alpn-01", serverName) is not { } shared) return null;
        return _fleetAlpn.GetOrAdd(shared.KeyAuthorization, _ => TlsAlpn01Certificate.Create(shared.Identifier, shared.KeyAuthorization, _options.Clock.GetUtcNow()));
    }

    /// <summary>The http-01 answer for a request path: this instance's, or in a fleet one another instance published.</summary>
    public string? HttpAnswer(string path)
    {
        if (Http.TryAnswer(path, out var own)) return own;
        if (_fleet is null || !path.StartsWith(Http01Tokens.PathPrefix, StringComparison.Ordinal)) return null;
        return _fleet.GetAnswer("http-01", path[Http01Tokens.PathPrefix.Length..])?.KeyAuthorization;
    }

    /// <summary>tls-alpn-01 answers, looked up by the listeners when a ClientHello offers acme-tls/1.</summary>
    public TlsAlpn01Answers TlsAlpn { get; }

    /// <summary>http-01 answers, served by the plain-HTTP listener.</summary>
    public Http01Tokens Http { get; } = new();

    /// <summary>Called after a certificate was obtained or renewed and stored: the host reloads, which picks it up.</summary>
    public Action? Changed { get; set; }

    /// <summary>
    /// The certificate to serve for an ACME site now (null: none yet), registering the site for ordering and renewal.
    /// Called for every ACME site each time the configuration is built (start and every reload).
    /// </summary>
    public TlsCredential? Register(string site, ProxyAcmeSettings settings, IReadOnlyList<string> names)
    {
        var key = $"{settings.Directory.AbsoluteUri} {string.Join(",", names)}";
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(site, settings, names);
                _entries[key] = entry;
                Load(entry);
                _wake.Release();
            }
            return entry.Credential;
        }
    }

    /// <summary>Starts ordering and renewing in the background.</summary>
    public void Start()
    {
        ProxyMetrics.Renewals(this, () => Status);
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The sites' certificates' serials and expiries, for logs.</summary>
    public IReadOnlyList<(string Site, string? Serial, DateTimeOffset? NotAfter, DateTimeOffset? NextAttempt)> Status
    {
        get
        {
            lock (_gate)
                return _entries.Values.Select(e => (e.Site, e.Leaf?.SerialNumber.ToLowerInvariant(), e.Leaf is { } l ? new DateTimeOffset(l.NotAfter.ToUniversalTime()) : (DateTimeOffset?)null, e.Due)).ToList();
        }
    }

    private void Load(Entry entry)
    {
        if (_store.LoadCertificate(entry.Settings.Directory, entry.Names[0]) is not { } stored) return;
        try
        {
            var credential = TlsCredential.FromPem(stored.ChainPem, stored.KeyPem);
            var now = _options.Clock.GetUtcNow();
            var sameNames = stored.Names.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(entry.Names.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
            if (sameNames && credential.Leaf.NotAfter.ToUniversalTime() > now.UtcDateTime)
            {
                entry.Set(credential, stored.ChainPem);
                _tell(false, $"site '{entry.Site}': serving the stored certificate for {string.Join(", ", entry.Names)} (serial {entry.Leaf!.SerialNumber.ToLowerInvariant()}, expires {entry.Leaf.NotAfter.ToUniversalTime():u})");
            }
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            _tell(true, $"site '{entry.Site}': the stored certificate does not load ({e.Message}); ordering a new one");
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            List<Entry> entries;
            lock (_gate) entries = [.. _entries.Values];
            var next = _options.Clock.GetUtcNow() + MaxBackoff;
            foreach (var entry in entries)
            {
                if (stop.IsCancellationRequested) return;
                if (entry.Recheck <= _options.Clock.GetUtcNow()) (entry.Due, entry.Recheck) = (null, null);   // ask ARI again
                if (entry.Due is null) await PlanAsync(entry, stop).ConfigureAwait(false);
                if (entry.Due <= _options.Clock.GetUtcNow())
                {
                    await RenewAsync(entry, stop).ConfigureAwait(false);
                    if (entry.Due is null) await PlanAsync(entry, stop).ConfigureAwait(false);
                }
                if (entry.Due < next) next = entry.Due.Value;
                if (entry.Recheck < next) next = entry.Recheck.Value;
            }
            var wait = next - _options.Clock.GetUtcNow();
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            try
            {
                await _wake.WaitAsync(wait > MaxBackoff ? MaxBackoff : wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>When the entry is next due: now without a certificate; else by ARI or two thirds of the lifetime, with jitter.</summary>
    private async Task PlanAsync(Entry entry, CancellationToken stop)
    {
        var now = _options.Clock.GetUtcNow();
        if (entry.Leaf is not { } leaf)
        {
            entry.Due = now;
            return;
        }
        RenewalWindow? window = null;
        try
        {
            window = await (await ClientAsync(entry.Settings, stop).ConfigureAwait(false)).GetRenewalWindowAsync(leaf, stop).ConfigureAwait(false);
        }
        catch (AcmeException e)
        {
            _tell(true, $"site '{entry.Site}': renewal information unavailable ({e.Message}); timing renewal by the lifetime");
        }
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var decision = RenewalPolicy.Decide(notBefore, notAfter, window, now, _random);
        var due = decision.RenewAt;
        if (window is null) due += TimeSpan.FromTicks((long)(_random.NextDouble() * (notAfter - notBefore).Ticks / 20));
        // ARI may move the window: look again when the CA says to (RFC 9773 §4.3), if that is sooner.
        if (window?.CheckAgainAfter is { } again && again < due && !decision.RenewNow) entry.Recheck = again;
        entry.Due = decision.RenewNow ? now : due;
        _tell(false, $"site '{entry.Site}': next renewal {entry.Due:u} ({decision.Reason})");
    }

    private async Task RenewAsync(Entry entry, CancellationToken stop)
    {
        var previous = entry.Leaf;
        long? token = null;
        try
        {
            if (_fleet is not null)
            {
                // Another instance may have renewed already: take its certificate rather than order again.
                if (AdoptNewer(entry)) return;
                token = _fleet.TryLock(entry.Settings.Directory, entry.Names[0], LockTime);
                if (token is null)
                {
                    if (!_fleet.IsAvailable) throw new AcmeException(AcmeFailure.Connection, "Redis does not answer, so no instance can be sure it alone orders");
                    if (!entry.Waiting) _tell(false, $"site '{entry.Site}': another instance is ordering {string.Join(", ", entry.Names)}; waiting for its certificate");
                    entry.Waiting = true;
                    entry.Due = _options.Clock.GetUtcNow() + FleetPoll;
                    return;
                }
                entry.Waiting = false;
                if (AdoptNewer(entry)) return;   // it finished between the two looks
            }
            var client = await ClientAsync(entry.Settings, stop).ConfigureAwait(false);
            IAcmeChallengeSolver solver = entry.Settings.Challenge switch
            {
                "dns-01" => new Dns01Solver(new ExecDns01Provider(entry.Settings.DnsHook!)),
                "http-01" => _fleet is null ? Http : new FleetSolver(Http, _fleet, token => token.Token),
                _ => _fleet is null ? TlsAlpn : new FleetSolver(TlsAlpn, _fleet, c => TlsAlpn01Certificate.ServerNameFor(c.Identifier)),
            };
            using var key = CaKey.Create(KeyTypeOf(entry.Settings.KeyType));
            _tell(false, $"site '{entry.Site}': {(previous is null ? "ordering" : "renewing")} {string.Join(", ", entry.Names)} through {entry.Settings.Challenge} at {entry.Settings.Directory}");
            var issued = await client.IssueAsync(entry.Names, solver, key, previous, stop, entry.Settings.Profile).ConfigureAwait(false);
            var stored = new StoredCertificate(entry.Names, issued.ChainPem, key.ExportPem(), entry.Settings.KeyType, issued.Url, entry.Settings.Profile);
            if (_fleet is not null && token is { } fence)
            {
                if (!_fleet.SaveCertificateFenced(entry.Settings.Directory, stored, fence))
                    throw new AcmeException(AcmeFailure.Connection, "the fleet's lock was lost during the order (or Redis stopped answering); the certificate is not used, and the fleet's is looked for again");
            }
            else
            {
                _store.SaveCertificate(entry.Settings.Directory, stored);
            }
            lock (_gate) entry.Set(TlsCredential.FromPem(issued.ChainPem, key.ExportPem()), issued.ChainPem);
            entry.Failures = 0;
            entry.Due = null;
            _tell(false, $"site '{entry.Site}': obtained serial {issued.Leaf.SerialNumber.ToLowerInvariant()}, valid until {issued.Leaf.NotAfter.ToUniversalTime():u}");
            ProxyMetrics.AcmeRenewal(entry.Site, "success");
            Changed?.Invoke();
        }
        catch (Exception e) when (e is AcmeException or PkiException or ProxyHostException or IOException or System.Security.Cryptography.CryptographicException)
        {
            entry.Failures++;
            var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _options.RetryAfterFailure.Ticks << Math.Min(entry.Failures - 1, 20)));
            entry.Due = _options.Clock.GetUtcNow() + backoff;
            ProxyMetrics.AcmeRenewal(entry.Site, e is AcmeException a ? a.Failure.ToString().ToLowerInvariant() : "local");
            _tell(true, $"site '{entry.Site}': {(previous is null ? "ordering" : "renewal")} failed: {e.Message}; trying again in {backoff.TotalSeconds:0} s{(previous is null ? "" : $", serving serial {previous.SerialNumber.ToLowerInvariant()} meanwhile")}");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (token is { } held) _fleet!.Unlock(entry.Settings.Directory, entry.Names[0], held);
        }
    }

    /// <summary>In a fleet: serves the stored certificate when it is newer than this instance's (another instance ordered it); true then.</summary>
    private bool AdoptNewer(Entry entry)
    {
        if (_store.LoadCertificate(entry.Settings.Directory, entry.Names[0]) is not { } stored) return false;
        TlsCredential credential;
        try
        {
            credential = TlsCredential.FromPem(stored.ChainPem, stored.KeyPem);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return false;
        }
        var now = _options.Clock.GetUtcNow().UtcDateTime;
        var leaf = credential.Leaf;
        if (leaf.NotAfter.ToUniversalTime() <= now || entry.Leaf is { } mine && leaf.NotAfter <= mine.NotAfter) return false;
        lock (_gate) entry.Set(credential, stored.ChainPem);
        entry.Failures = 0;
        entry.Due = null;
        entry.Waiting = false;
        _tell(false, $"site '{entry.Site}': serving serial {leaf.SerialNumber.ToLowerInvariant()} from the fleet's store (valid until {leaf.NotAfter.ToUniversalTime():u})");
        Changed?.Invoke();
        return true;
    }

    /// <summary>A solver that also publishes its answers for the fleet, so the CA may reach any instance.</summary>
    private sealed class FleetSolver(IAcmeChallengeSolver inner, Redis.RedisAcmeStore fleet, Func<AcmeChallengeContext, string> id) : IAcmeChallengeSolver
    {
        public string ChallengeType => inner.ChallengeType;

        public async Task PrepareAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
        {
            await inner.PrepareAsync(challenge, cancellationToken).ConfigureAwait(false);
            if (!fleet.PutAnswer(ChallengeType, id(challenge), challenge.KeyAuthorization, challenge.Identifier, LockTime))
                throw new AcmeException(AcmeFailure.Connection, "cannot publish the challenge answer to the fleet: Redis does not answer");
        }

        public async Task CleanupAsync(AcmeChallengeContext challenge, CancellationToken cancellationToken)
        {
            fleet.RemoveAnswer(ChallengeType, id(challenge));
            await inner.CleanupAsync(challenge, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AcmeClient> ClientAsync(ProxyAcmeSettings settings, CancellationToken stop)
    {
        lock (_gate)
            if (_clients.TryGetValue(settings.Directory, out var known)) return known;
        var options = new AcmeClientOptions
        {
            Trust = settings.CaFile is { } ca ? CredentialFiles.Trust(ca) : null,
            Clock = _options.Clock,
            Progress = step => _tell(false, $"acme: {step}"),
        };
        AcmeClient client;
        if (_store.LoadAccount(settings.Directory) is { } stored)
        {
            client = new AcmeClient(settings.Directory, AcmeAccountKey.FromPem(stored.KeyPem), options);
            await client.FindAccountAsync(stop).ConfigureAwait(false);
        }
        else
        {
            var key = AcmeAccountKey.CreateEs256();
            client = new AcmeClient(settings.Directory, key, options);
            var binding = settings.EabKeyId is { } kid && settings.EabHmac is { } hmac ? ExternalAccountBinding.FromBase64Url(kid, hmac) : null;
            var created = await client.CreateAccountAsync(settings.Email is { } email ? ["mailto:" + email] : [], agreeToTerms: true, binding, stop).ConfigureAwait(false);
            _store.SaveAccount(settings.Directory, new StoredAccount(created.Url, key.ExportPem(), created.Contact));
            _tell(false, $"acme: account {created.Url} created at {settings.Directory}");
        }
        lock (_gate)
        {
            if (_clients.TryGetValue(settings.Directory, out var raced))
            {
                client.Dispose();
                return raced;
            }
            _clients[settings.Directory] = client;
        }
        return client;
    }

    internal static KeyType KeyTypeOf(string name) => name switch
    {
        "ec256" => KeyType.EcdsaP256,
        "ec384" => KeyType.EcdsaP384,
        "rsa2048" => KeyType.Rsa2048,
        "rsa3072" => KeyType.Rsa3072,
        _ => throw new ArgumentException($"KeyType must be ec256, ec384, rsa2048 or rsa3072, not '{name}'"),
    };

    /// <summary>Stops ordering and renewing (an order in flight is abandoned; the stored certificates stay).</summary>
    public async ValueTask DisposeAsync()
    {
        ProxyMetrics.Renewals(this, null);
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        lock (_gate)
            foreach (var c in _clients.Values) c.Dispose();
        _stop.Dispose();
    }

    private sealed class Entry(string site, ProxyAcmeSettings settings, IReadOnlyList<string> names)
    {
        public string Site { get; } = site;
        public ProxyAcmeSettings Settings { get; } = settings;
        public IReadOnlyList<string> Names { get; } = names;
        public TlsCredential? Credential { get; private set; }
        public X509Certificate2? Leaf { get; private set; }
        public DateTimeOffset? Due { get; set; }
        public DateTimeOffset? Recheck { get; set; }
        public int Failures { get; set; }
        public bool Waiting { get; set; }

        public void Set(TlsCredential credential, string chainPem)
        {
            Credential = credential;
            Leaf = X509Certificate2.CreateFromPem(chainPem);
        }
    }
}
