namespace Tessera.Scan.Monitor;

/// <summary>
/// Probes every target on its interval and keeps each one's latest result, for <see cref="MonitorMetrics"/> and the
/// caller's log. Each target has its own loop, so a target that hangs only ever delays itself (by at most the
/// timeout); a fixed number of probe slots bounds sockets and buffers whatever the number of targets; and what is kept
/// per target is one result, so memory does not grow with time. Intervals are jittered by ±10 % and first probes spread
/// over the first seconds, so a large configuration does not probe in bursts.
/// </summary>
public sealed class TlsMonitor : IAsyncDisposable
{
    private readonly MonitorOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TargetLoop> _loops = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private bool _started;

    /// <summary>A monitor over <paramref name="targets"/>; nothing is probed before <see cref="Start"/>.</summary>
    public TlsMonitor(MonitorOptions options, IReadOnlyList<MonitorTarget> targets)
    {
        options.Validate();
        _options = options;
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        Update(targets);
    }

    /// <summary>The options the monitor runs with.</summary>
    public MonitorOptions Options => _options;

    /// <summary>Raised after each probe, on the probing task (keep it short; a log line).</summary>
    public event Action<MonitorTarget, ProbeResult>? Probed;

    /// <summary>Raised when a renewalInfo question fails (the sentence); the window last known is kept.</summary>
    public event Action<MonitorTarget, string>? RenewalInfoFailed;

    /// <summary>Raised after each scan of a target with <see cref="MonitorTarget.Scan"/>: the grade, or the failure's sentence.</summary>
    public event Action<MonitorTarget, GradeResult?, string?>? Scanned;

    /// <summary>Starts every target's loop.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _started = true;
            foreach (var loop in _loops.Values) loop.Start();
        }
    }

    /// <summary>
    /// Replaces the targets: a target whose name and settings are unchanged keeps its loop and latest result; a changed
    /// one starts over; a removed one stops and leaves the metrics.
    /// </summary>
    public void Update(IReadOnlyList<MonitorTarget> targets)
    {
        var wanted = new Dictionary<string, MonitorTarget>(StringComparer.Ordinal);
        foreach (var t in targets)
            if (!wanted.TryAdd(t.Name, t)) throw new ArgumentException($"two targets are named {t.Name}; a target's name is its metrics' label and must be unique", nameof(targets));
        lock (_gate)
        {
            foreach (var (name, loop) in _loops.ToArray())
                if (!wanted.TryGetValue(name, out var t) || !Same(t, loop.Target))
                {
                    loop.Stop();
                    _loops.Remove(name);
                }
            foreach (var (name, t) in wanted)
            {
                if (_loops.ContainsKey(name)) continue;
                var loop = new TargetLoop(this, t);
                _loops[name] = loop;
                if (_started) loop.Start();
            }
        }
    }

    /// <summary>Every target's state now, in name order.</summary>
    public IReadOnlyList<TargetStatus> Status()
    {
        TargetLoop[] loops;
        lock (_gate) loops = [.. _loops.Values];
        Array.Sort(loops, (a, b) => string.CompareOrdinal(a.Target.Name, b.Target.Name));
        var all = new TargetStatus[loops.Length];
        for (var i = 0; i < loops.Length; i++) all[i] = loops[i].Status();
        return all;
    }

    /// <summary>Stops every loop and waits for the probes in flight (each bounded by the timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        TargetLoop[] loops;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return;
            _stopping.Cancel();
            loops = [.. _loops.Values];
            _loops.Clear();
        }
        foreach (var loop in loops) await loop.StopAsync();
        _stopping.Dispose();
    }

    // Records compare lists by reference; a reload builds new lists, so compare what a probe would do differently.
    private static bool Same(MonitorTarget a, MonitorTarget b) =>
        a.Address == b.Address && a.ServerName == b.ServerName && a.Trust?.Description == b.Trust?.Description && a.Profile == b.Profile && a.MinVersion == b.MinVersion && a.MaxVersion == b.MaxVersion &&
        a.ApplicationProtocols.SequenceEqual(b.ApplicationProtocols) && a.Interval == b.Interval && a.Scan == b.Scan &&
        a.ClientCertificate?.Leaf.Thumbprint == b.ClientCertificate?.Leaf.Thumbprint && a.AcmeDirectory == b.AcmeDirectory;

    private sealed class TargetLoop(TlsMonitor monitor, MonitorTarget target)
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(monitor._stopping.Token);
        private Task _task = Task.CompletedTask;
        private ProbeResult? _latest;
        private GradeResult? _grade;
        private long _probes, _failures;
        private DateTimeOffset _next = monitor._options.Clock.GetUtcNow();
        private DateTimeOffset? _scannedAt;
        private Acme.RenewalWindow? _renewal;
        private string? _renewalSerial;
        private DateTimeOffset _renewalNext;
        private Acme.AcmeClient? _acme;

        public MonitorTarget Target { get; } = target;

        public void Start() => _task = Task.Run(() => RunAsync(_stop.Token));

        public void Stop() => _stop.Cancel();

        public async Task StopAsync()
        {
            _stop.Cancel();
            try { await _task; }
            catch (OperationCanceledException) { }
            _stop.Dispose();
        }

        public TargetStatus Status()
        {
            lock (this) return new TargetStatus(Target, _latest, _grade, _probes, _failures, _next, _renewal);
        }

        private async Task RunAsync(CancellationToken cancellationToken)
        {
            var options = monitor._options;
            var interval = Target.Interval ?? options.Interval;
            var clock = options.Clock;
            // First probes spread over up to five seconds (or the interval, if shorter), so a thousand targets do not start at once.
            var first = TimeSpan.FromMilliseconds(options.Random.NextDouble() * Math.Min(interval.TotalMilliseconds, 5000));
            lock (this) _next = clock.GetUtcNow() + first;
            try
            {
                await Task.Delay(first, clock, cancellationToken);
                await LoopAsync(interval, cancellationToken);
            }
            finally
            {
                _acme?.Dispose();
            }
        }

        private async Task LoopAsync(TimeSpan interval, CancellationToken cancellationToken)
        {
            var options = monitor._options;
            var clock = options.Clock;
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = clock.GetUtcNow();
                await monitor._slots.WaitAsync(cancellationToken);
                ProbeResult result;
                try
                {
                    result = await EndpointProbe.RunAsync(Target, options.Timeout, clock, cancellationToken);
                    if (Target.AcmeDirectory is { } directory && result.LeafDer is { } leaf) await AskRenewalInfoAsync(directory, leaf, result.Serial!, cancellationToken);
                    if (Target.Scan && (_scannedAt is not { } last || clock.GetUtcNow() - last >= options.ScanInterval))
                    {
                        _scannedAt = clock.GetUtcNow();
                        await ScanAsync(cancellationToken);
                    }
                }
                finally
                {
                    monitor._slots.Release();
                }
                var next = started + interval * (0.9 + 0.2 * options.Random.NextDouble());
                lock (this)
                {
                    _latest = result;
                    _probes++;
                    if (!result.Success) _failures++;
                    _next = next;
                }
                monitor.Probed?.Invoke(Target, result);
                var wait = next - clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);
            }
        }

        /// <summary>
        /// The CA's suggested window for the served certificate: asked again when the certificate changes, else when the
        /// CA's Retry-After says (six hours when it says nothing, an hour after a failure), bounded by the probe timeout.
        /// </summary>
        private async Task AskRenewalInfoAsync(Uri directory, byte[] leafDer, string serial, CancellationToken cancellationToken)
        {
            var now = monitor._options.Clock.GetUtcNow();
            if (serial == _renewalSerial && now < _renewalNext) return;
            _acme ??= new Acme.AcmeClient(directory, Acme.AcmeAccountKey.CreateEs256(), new Acme.AcmeClientOptions { Trust = Target.Trust, Clock = monitor._options.Clock });
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(monitor._options.Timeout);
            using var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(leafDer);
            try
            {
                var window = await _acme.GetRenewalWindowAsync(leaf, deadline.Token);
                lock (this)
                {
                    _renewal = window;
                    _renewalSerial = serial;
                    _renewalNext = window?.CheckAgainAfter is { } after && after > now ? after : now + TimeSpan.FromHours(6);
                }
            }
            catch (Exception e) when (e is Acme.AcmeException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lock (this)
                {
                    if (serial != _renewalSerial) _renewal = null;   // a window for another certificate says nothing about this one
                    _renewalSerial = serial;
                    _renewalNext = now + TimeSpan.FromHours(1);
                }
                monitor.RenewalInfoFailed?.Invoke(Target, e is OperationCanceledException ? $"the CA's renewalInfo did not answer within {monitor._options.Timeout.TotalSeconds:0.#} s" : e.Message);
            }
        }

        private async Task ScanAsync(CancellationToken cancellationToken)
        {
            var options = monitor._options;
            var scan = new ScanOptions
            {
                Target = Target.Address,
                ServerName = Target.ServerName,
                Trust = Target.Trust ?? Certificates.TrustStore.System,
                Concurrency = 2,
                ProbeTimeout = options.Timeout < TimeSpan.FromSeconds(5) ? options.Timeout : TimeSpan.FromSeconds(5),
                Now = options.Clock.GetUtcNow,
            };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // A scan is many connections; it may take a while, but never forever.
            deadline.CancelAfter(TimeSpan.FromMinutes(5));
            GradeResult? grade = null;
            string? error = null;
            try
            {
                var report = await new Scanner(scan).RunAsync(deadline.Token);
                grade = Grader.Grade(report);
            }
            catch (ScanException e)
            {
                error = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "the scan took more than five minutes";
            }
            lock (this) _grade = grade ?? _grade;
            monitor.Scanned?.Invoke(Target, grade, error);
        }
    }
}
