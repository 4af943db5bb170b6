using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;

namespace Tessera.Proxy.Ocsp;

/// <summary>
/// Automatic OCSP stapling (RFC 6066 §8, RFC 8446 §4.4.2.1) for the certificates a proxy serves. For each certificate
/// whose AIA names an OCSP responder (and whose chain holds its issuer) it fetches a response (RFC 6960 over HTTP
/// POST), verifies it with the same code Tessera's clients use (signed by the issuer or its delegated responder, for
/// this certificate, not expired), and staples it while it is valid. It fetches again halfway through a good
/// response's life (at least a minute, at most 12 hours later), and after a failure retries with a growing wait (30 s
/// up to 10 minutes) while the last good response goes on being served until its nextUpdate. A revoked or unknown
/// answer stops stapling at once.
/// </summary>
public sealed class OcspStapler : IAsyncDisposable
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    private const int MaxResponse = 64 * 1024;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly Action<StapledCredential, bool, string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (StapledCredential Credential, Task? Loop, CancellationTokenSource Cancel)> _tracked = new(StringComparer.Ordinal);

    /// <param name="time">The clock responses are judged by (tests move it).</param>
    /// <param name="http">How responders are reached (default: a direct HttpClient handler, no proxy).</param>
    /// <param name="log">Told about each fetch: the certificate, whether all is well, and a sentence.</param>
    public OcspStapler(TimeProvider? time = null, HttpMessageInvoker? http = null, Action<StapledCredential, bool, string>? log = null)
    {
        _time = time ?? TimeProvider.System;
        _http = http ?? new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = FetchTimeout });
        _log = log ?? ((_, _, _) => { });
        ProxyMetrics.Staples(this, () => Tracked);
    }

    /// <summary>The certificates tracked now.</summary>
    public IReadOnlyList<StapledCredential> Tracked
    {
        get
        {
            lock (_gate)
            {
                var list = new List<StapledCredential>(_tracked.Count);
                foreach (var t in _tracked.Values) list.Add(t.Credential);
                return list;
            }
        }
    }

    /// <summary>
    /// TLS settings that staple: for a site with one certificate, a selector serving it with its current staple;
    /// otherwise (several certificates, chosen by the core by name and key type) the settings unchanged.
    /// </summary>
    public TlsServerOptions Apply(TlsServerOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (tls.Certificates.Count != 1 || tls.CertificateSelector is not null) return tls;
        var stapled = Track(tls.Certificates[0]);
        return stapled.Responder is null ? tls : tls with { CertificateSelector = _ => stapled.Current };
    }

    /// <summary>Starts keeping a staple for <paramref name="credential"/> (the same certificate is tracked once).</summary>
    public StapledCredential Track(TlsCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        lock (_gate)
        {
            var key = credential.Leaf.Thumbprint;
            if (_tracked.TryGetValue(key, out var known)) return known.Credential;
            var responder = ResponderOf(credential.Leaf);
            var stapled = new StapledCredential(credential, credential.Chain.Count > 1 ? responder : null, _time);
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            Task? loop = null;
            if (stapled.Responder is not null) loop = Task.Run(() => KeepAsync(stapled, cancel.Token));
            else if (responder is not null) _log(stapled, false, "not stapling: the chain does not include the certificate's issuer, which an OCSP request names");
            _tracked[key] = (stapled, loop, cancel);
            return stapled;
        }
    }

    /// <summary>Stops refreshing every certificate not in <paramref name="inUse"/> (after a reload replaced them).</summary>
    public void Retain(IEnumerable<TlsCredential> inUse)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in inUse) keep.Add(c.Leaf.Thumbprint);
        lock (_gate)
        {
            foreach (var key in _tracked.Keys.ToList())
            {
                if (keep.Contains(key)) continue;
                _tracked[key].Cancel.Cancel();
                _tracked.Remove(key);
            }
        }
    }

    /// <summary>Fetches and verifies a response for <paramref name="stapled"/> now; true when a good one is stapled.</summary>
    public async Task<bool> RefreshAsync(StapledCredential stapled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stapled);
        if (stapled.Responder is not { } responder) return false;
        var leaf = stapled.Credential.Chain[0];
        var issuer = stapled.Credential.Chain[1];
        byte[] response;
        try
        {
            response = await FetchAsync(responder, OcspRequest.Build(leaf, issuer), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer from {responder} within {FetchTimeout.TotalSeconds:0} s" : $"{responder}: {e.Message}";
            stapled.Failed(why);
            _log(stapled, false, $"OCSP fetch failed ({why}); {Serving(stapled)}");
            return false;
        }
        OcspVerdict verdict;
        try
        {
            verdict = OcspStaple.Verify(response, leaf, issuer, _time.GetUtcNow());
        }
        catch (TlsException e)
        {
            stapled.Failed(e.Message);
            _log(stapled, false, $"OCSP response refused ({e.Message}); {Serving(stapled)}");
            return false;
        }
        if (verdict.Status != OcspStatus.Good)
        {
            var status = verdict.Status == OcspStatus.Revoked ? "revoked" : "unknown";
            stapled.Refuse(status, $"the responder says the certificate is {status}");
            _log(stapled, false, $"OCSP: the responder says the certificate is {status}; not stapling");
            return false;
        }
        stapled.Accept(response, verdict.ThisUpdate, verdict.Expires);
        _log(stapled, true, $"OCSP staple good, this update {verdict.ThisUpdate:yyyy-MM-dd HH:mm:ss} UTC, valid until {verdict.Expires:yyyy-MM-dd HH:mm:ss} UTC");
        return true;
    }

    private async Task KeepAsync(StapledCredential stapled, CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromSeconds(30);
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            if (await RefreshAsync(stapled, cancellationToken).ConfigureAwait(false) && stapled.GoodSince is { } since && stapled.GoodUntil is { } until)
            {
                retry = TimeSpan.FromSeconds(30);
                var half = since + (until - since) / 2 - _time.GetUtcNow();
                wait = half < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : half > TimeSpan.FromHours(12) ? TimeSpan.FromHours(12) : half;
            }
            else
            {
                wait = retry;
                retry = retry * 2 > TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : retry * 2;
            }
            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<byte[]> FetchAsync(Uri responder, byte[] request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, responder) { Content = new ByteArrayContent(request) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ocsp-response"));
        using var answer = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)answer.StatusCode}");
        if (answer.Content.Headers.ContentLength > MaxResponse) throw new InvalidDataException($"a response of {answer.Content.Headers.ContentLength} bytes (at most {MaxResponse} are taken)");
        await using var body = await answer.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxResponse) throw new InvalidDataException($"a response over {MaxResponse} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static string Serving(StapledCredential s) =>
        s.State is { Status: "good", Expires: { } until } ? $"the last good staple is served until {until:yyyy-MM-dd HH:mm:ss} UTC" : "no staple is served";

    private static Uri? ResponderOf(X509Certificate2 leaf)
    {
        foreach (var e in leaf.Extensions)
        {
            if (e is not X509AuthorityInformationAccessExtension aia) continue;
            foreach (var uri in aia.EnumerateOcspUris())
                if (Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttp) return u;   // RFC 6960 responders speak plain http
        }
        return null;
    }

    /// <summary>Stops every refresh.</summary>
    public async ValueTask DisposeAsync()
    {
        ProxyMetrics.Forget(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] loops;
        lock (_gate) loops = [.. _tracked.Values.Select(t => t.Loop).OfType<Task>()];
        await Task.WhenAll(loops).ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
    }
}
