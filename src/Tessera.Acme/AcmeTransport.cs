using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Acme;

/// <summary>
/// The HTTP side of RFC 8555 §6: the directory, a pool of nonces (every response's Replay-Nonce, or a HEAD to newNonce
/// when the pool is empty), signed POSTs (JWS with <c>jwk</c> before the account exists, <c>kid</c> after), POST-as-GET,
/// and problem documents turned into <see cref="AcmeException"/>s. A <c>badNonce</c> problem is retried at once with
/// the nonce that came with it (§6.5), a few times.
/// </summary>
internal sealed class AcmeTransport(HttpClient http, Uri directoryUrl, TimeProvider clock)
{
    /// <summary>Bodies larger than this are refused: no ACME object (a chain of a few certificates included) comes near it.</summary>
    internal const int MaxBody = 1 << 20;
    private const int MaxBadNonceRetries = 10;
    private readonly Stack<string> _nonces = new();
    private readonly Lock _lock = new();
    private AcmeDirectoryDocument? _directory;

    /// <summary>How many requests were sent again after a badNonce (for tests and diagnostics).</summary>
    public int BadNonceRetries => _badNonceRetries;

    private int _badNonceRetries;

    public async Task<AcmeDirectoryDocument> DirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is { } known) return known;
        using var request = new HttpRequestMessage(HttpMethod.Get, directoryUrl);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status != HttpStatusCode.OK)
            throw new AcmeException(AcmeFailure.Protocol, $"the ACME directory {directoryUrl} answered HTTP {(int)response.Status}, not a directory");
        var directory = Parse(response, AcmeJsonContext.Default.AcmeDirectoryDocument, $"the ACME directory {directoryUrl}");
        if (directory.NewNonce is null || directory.NewAccount is null || directory.NewOrder is null)
            throw new AcmeException(AcmeFailure.Protocol, $"the ACME directory {directoryUrl} lacks newNonce, newAccount or newOrder: it is not an ACME directory");
        _directory = directory;
        return directory;
    }

    /// <summary>
    /// A signed POST of <paramref name="payload"/> (null: POST-as-GET, §6.3) to <paramref name="url"/>, retried on
    /// badNonce; <paramref name="kid"/> is the account URL, or null to sign with the JWK (newAccount, revocation by
    /// certificate key).
    /// </summary>
    public async Task<AcmeResponse> PostAsync(Uri url, byte[]? payload, AcmeAccountKey key, Uri? kid, CancellationToken cancellationToken, string accept = "application/json")
    {
        var transient = 0;
        for (var attempt = 0; ; attempt++)
        {
            var nonce = await NonceAsync(cancellationToken).ConfigureAwait(false);
            var body = Jws.Sign(key, kid, nonce, url, payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, AcmeJsonContext.Default.FlattenedJws)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            request.Headers.Accept.ParseAdd(accept);
            AcmeResponse response;
            try
            {
                response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AcmeException e) when (e.Failure == AcmeFailure.Connection && transient < MaxTransientRetries)
            {
                await BackoffAsync(transient++, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if ((int)response.Status < 400) return response;
            var problem = ProblemOf(response);
            if (problem?.Type == AcmeProblems.BadNonce && attempt < MaxBadNonceRetries)
            {
                Interlocked.Increment(ref _badNonceRetries);
                continue;
            }
            // A server error or an overloaded front (5xx) is worth a few more tries, further apart each time; a refusal
            // (4xx, a 429 rate limit among them) is not, and is reported at once.
            if ((int)response.Status >= 500 && transient < MaxTransientRetries)
            {
                await BackoffAsync(transient++, response.RetryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var failure = AcmeProblems.ToException(problem, response, url);
            throw transient == 0 ? failure : new AcmeException(failure.Failure, $"{failure.Message} (after {transient + 1} attempts)", failure);
        }
    }

    /// <summary>Retries of a request that met a connection failure or a 5xx: 1 s, 2 s, 4 s apart, or what Retry-After says (up to a minute).</summary>
    internal const int MaxTransientRetries = 3;

    private async Task BackoffAsync(int retry, DateTimeOffset? retryAfter, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(1 << retry);
        if (retryAfter is { } at && at - clock.GetUtcNow() is var told && told > TimeSpan.Zero) wait = told < TimeSpan.FromMinutes(1) ? told : TimeSpan.FromMinutes(1);
        await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A plain GET (RFC 9773's renewalInfo is fetched unauthenticated).</summary>
    public async Task<AcmeResponse> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses <paramref name="response"/>'s body as <typeparamref name="T"/>; anything else is a protocol failure naming <paramref name="what"/>.</summary>
    public static T Parse<T>(AcmeResponse response, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new AcmeException(AcmeFailure.Protocol, $"{what} did not answer with the JSON object ACME defines ({Describe(response)})");
        }
    }

    private static string Describe(AcmeResponse response) =>
        $"HTTP {(int)response.Status}, {UntrustedText.Clean(response.ContentType ?? "no content type", 80)}, {response.Body.Length} bytes";

    internal static AcmeProblem? ProblemOf(AcmeResponse response)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, AcmeJsonContext.Default.AcmeProblem);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<string> NonceAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
            if (_nonces.TryPop(out var pooled)) return pooled;
        var directory = await DirectoryAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Head, directory.NewNonce);
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        lock (_lock)
            if (_nonces.TryPop(out var fresh)) return fresh;
        throw new AcmeException(AcmeFailure.Protocol, $"the ACME server's newNonce ({UntrustedText.Clean(directory.NewNonce, 200)}) gave no Replay-Nonce");
    }

    private async Task<AcmeResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        var resource = Resource(request.RequestUri!);
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            AcmeMetrics.Request(resource, request.Method.Method, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException e)
        {
            AcmeMetrics.Request(resource, request.Method.Method, "error");
            throw new AcmeException(AcmeFailure.Connection, $"could not reach the ACME server at {request.RequestUri}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            AcmeMetrics.Request(resource, request.Method.Method, "error");
            throw new AcmeException(AcmeFailure.Connection, $"the ACME server at {request.RequestUri} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
                foreach (var n in nonces)
                    if (IsNonce(n)) lock (_lock) _nonces.Push(n);
            var body = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
            var links = new List<Uri>();
            if (response.Headers.TryGetValues("Link", out var linkHeaders))
                foreach (var h in linkHeaders) AlternateLinks.Parse(h, request.RequestUri!, links);
            return new AcmeResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType,
                response.Headers.Location is { } l ? new Uri(request.RequestUri!, l) : null, RetryAfter(response), links);
        }
    }

    /// <summary>Which directory resource a URL is (a bounded label): its name in the directory, or "object" for the rest.</summary>
    private string Resource(Uri url)
    {
        if (_directory is not { } d) return "directory";
        var text = url.AbsoluteUri;
        if (text == d.NewNonce) return "newNonce";
        if (text == d.NewAccount) return "newAccount";
        if (text == d.NewOrder) return "newOrder";
        if (text == d.RevokeCert) return "revokeCert";
        if (text == d.KeyChange) return "keyChange";
        if (d.RenewalInfo is { } ari && text.StartsWith(ari, StringComparison.Ordinal)) return "renewalInfo";
        return "object";
    }

    private DateTimeOffset? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => clock.GetUtcNow() + delta,
        { Date: { } date } => date,
        _ => null,
    };

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBody)
            throw new AcmeException(AcmeFailure.Protocol, $"the ACME server sent {response.Content.Headers.ContentLength} bytes to {response.RequestMessage?.RequestUri}; more than {MaxBody} is not ACME");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxBody)
                throw new AcmeException(AcmeFailure.Protocol, $"the ACME server sent more than {MaxBody} bytes to {response.RequestMessage?.RequestUri}; that is not ACME");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>A nonce is base64url (§6.5.1); anything else is not kept (it would only be refused later).</summary>
    private static bool IsNonce(string n)
    {
        if (n.Length is 0 or > 512) return false;
        foreach (var c in n)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }

}
