using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Diagnostics;
using Tessera.Pki;

namespace Tessera.Acme.Server;

/// <summary>
/// An ACME server (RFC 8555) over a <see cref="LocalCa"/>: the request handler behind <see cref="AcmeServerHost"/>.
/// Every POST is a JWS whose signature, algorithm, single-use nonce, <c>url</c> header and key (a <c>jwk</c> for
/// newAccount and certificate-key revocation, an account's <c>kid</c> everywhere else) are checked before anything is
/// read from it (§6.2–6.5); every refusal is a problem document (§6.7) and leaves the state as it was. The state
/// (<see cref="AcmeServerStore"/>) is written through to the CA's directory, so a restart keeps accounts, orders,
/// authorizations and certificates. The parts: accounts and key change (<c>AcmeServer.Accounts.cs</c>), orders,
/// authorizations, challenges and finalization (<c>AcmeServer.Orders.cs</c>), certificates, revocation, the CRL and
/// renewal information (<c>AcmeServer.Certificates.cs</c>).
/// </summary>
public sealed partial class AcmeServer : IDisposable
{
    /// <summary>The largest request body read (a CSR for an RSA 8192-bit key is under 3 KiB; 64 KiB is generous).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>What Kestrel lets a request send at all (the rest of an oversized body is read and dropped up to here).</summary>
    internal const int DrainBytes = 1024 * 1024;

    private readonly AcmeServerOptions _options;
    private readonly AcmeServerStore _store;
    private readonly NonceBook _nonces = new();
    private readonly ChallengeValidator _validator;
    private readonly CancellationTokenSource _stopping = new();
    private Uri? _base;

    /// <summary>A server over <paramref name="options"/>' CA, reading its stored state.</summary>
    /// <exception cref="PkiException">The stored state does not read.</exception>
    public AcmeServer(AcmeServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Profiles.Count == 0) throw new PkiException(PkiFailure.InvalidRequest, "an ACME server offers at least one profile");
        _options = options;
        _store = AcmeServerStore.Open(AcmeServerStore.For(options.Ca));
        _validator = new ChallengeValidator(options);
    }

    /// <summary>
    /// The URL the server is reached at (https://HOST:PORT): every resource URL is under it, and each request's JWS
    /// <c>url</c> must equal it plus the request's path. Set once the listener is bound; requests before that get 503.
    /// </summary>
    public Uri? BaseUri
    {
        get => _base;
        set
        {
            _base = value;
            if (value is not null) ResumeValidations();
        }
    }

    /// <summary>The directory URL clients are given.</summary>
    public Uri DirectoryUrl => Url("/directory");

    /// <summary>
    /// The CRL's URL (DER, application/pkix-crl), which certificates name as their CRL distribution point: on the
    /// plain-HTTP endpoint when there is one (<see cref="AcmeServerOptions.CrlListen"/>), else on the HTTPS one.
    /// </summary>
    public Uri CrlUrl => _crlUrl ?? Url("/crl");

    private Uri? _crlUrl;

    /// <summary>The plain-HTTP CRL endpoint, once bound: its URL and local port (requests on that port get the CRL or 404).</summary>
    internal void ServeCrlAt(Uri url)
    {
        _crlUrl = url;
        _crlPort = url.Port;
    }

    private int _crlPort = -1;

    private Uri Url(string path) => new(BaseUri ?? throw new InvalidOperationException("the server has no base URL yet"), path);

    private DateTimeOffset Now => _options.Clock.GetUtcNow();

    private void Log(string line) => _options.Log?.Invoke(line);

    /// <summary>Handles one HTTP request (the host's only endpoint).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (BaseUri is null)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        if (context.Connection.LocalPort == _crlPort)
        {
            // The plain-HTTP endpoint serves the CRL and nothing else: no ACME resource is ever reachable without TLS.
            if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) && context.Request.Path.Value == "/crl")
                await CrlAsync(context).ConfigureAwait(false);
            else
                response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.Headers["Replay-Nonce"] = _nonces.Issue();
        response.Headers.Link = $"<{DirectoryUrl.AbsoluteUri}>;rel=\"index\"";
        response.Headers.CacheControl = "no-store";
        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (AcmeProblemException problem)
        {
            Log($"{context.Request.Method} {PeerText.Clip(context.Request.Path.Value ?? "", 100)}: {problem.Status} {problem.Type}: {problem.Message}");
            await WriteProblemAsync(context, problem).ConfigureAwait(false);
        }
    }

    private Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return path switch
            {
                "/directory" => JsonAsync(context, 200, DirectoryJson()),
                "/acme/new-nonce" => NewNonce(context),
                "/crl" => CrlAsync(context),
                _ when segments is ["acme", "renewal-info", var id] => RenewalInfoAsync(context, id),
                _ => throw AcmeProblemException.NotFound($"no resource at {PeerText.Clip(path, 100)}"),
            };
        }
        if (!HttpMethods.IsPost(method)) throw new AcmeProblemException("malformed", 405, $"{PeerText.Clip(method, 10)} is not allowed here");
        return segments switch
        {
            ["acme", "new-account"] => NewAccountAsync(context),
            ["acme", "new-order"] => NewOrderAsync(context),
            ["acme", "revoke-cert"] => RevokeAsync(context),
            ["acme", "key-change"] => KeyChangeAsync(context),
            ["acme", "acct", var id] => AccountAsync(context, id),
            ["acme", "acct", var id, "orders"] => AccountOrdersAsync(context, id),
            ["acme", "order", var id] => OrderAsync(context, id),
            ["acme", "order", var id, "finalize"] => FinalizeAsync(context, id),
            ["acme", "authz", var id] => AuthorizationAsync(context, id),
            ["acme", "chall", var id, var type] => ChallengeAsync(context, id, type),
            ["acme", "cert", var serial] => CertificateAsync(context, serial),
            ["acme", "new-nonce"] => NewNonce(context),
            _ => throw AcmeProblemException.NotFound($"no resource at {PeerText.Clip(path, 100)}"),
        };
    }

    private static Task NewNonce(HttpContext context)
    {
        // §7.2: 200 to HEAD, 204 to GET; the nonce is in the Replay-Nonce header HandleAsync set.
        context.Response.StatusCode = HttpMethods.IsHead(context.Request.Method) ? 200 : 204;
        return Task.CompletedTask;
    }

    private byte[] DirectoryJson() => ResourceWriter.Write(w =>
    {
        w.WriteString("newNonce", Url("/acme/new-nonce").AbsoluteUri);
        w.WriteString("newAccount", Url("/acme/new-account").AbsoluteUri);
        w.WriteString("newOrder", Url("/acme/new-order").AbsoluteUri);
        w.WriteString("revokeCert", Url("/acme/revoke-cert").AbsoluteUri);
        w.WriteString("keyChange", Url("/acme/key-change").AbsoluteUri);
        w.WriteString("renewalInfo", Url("/acme/renewal-info").AbsoluteUri);
        w.WriteStartObject("meta");
        w.WriteStartObject("profiles");
        foreach (var profile in _options.Profiles) w.WriteString(profile.Name, profile.Description);
        w.WriteEndObject();
        w.WriteBoolean("externalAccountRequired", ExternalAccountRequired);
        w.WriteEndObject();
    });

    private bool ExternalAccountRequired => _options.RequireExternalAccountBinding || AcmeServerStore.EabKeys(_store.Directory).Keys.Count > 0;

    /// <summary>Reads a POST's JWS and checks its algorithm, nonce and url; the key is checked by <see cref="Authenticate"/>.</summary>
    private async Task<SignedRequest> ReadSignedAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType?.Split(';')[0].Trim().Equals("application/jose+json", StringComparison.OrdinalIgnoreCase) != true)
            throw new AcmeProblemException("malformed", 415, "an ACME request has Content-Type application/jose+json (RFC 8555 §6.2)");
        var body = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted).ConfigureAwait(false)) > 0)
            length += read;
        if (length > MaxBodyBytes)
        {
            // Read (and drop) what remains, up to Kestrel's cap, so the client is reading when the 413 arrives instead
            // of having its connection reset under a request it is still sending; past the cap Kestrel closes it.
            var sink = new byte[16384];
            while (await request.Body.ReadAsync(sink, context.RequestAborted).ConfigureAwait(false) > 0) { }
            throw new AcmeProblemException("malformed", 413, $"the request body is larger than {MaxBodyBytes} bytes");
        }
        SignedRequest signed;
        try
        {
            using var doc = JsonDocument.Parse(body.AsMemory(0, length));
            signed = SignedRequest.Parse(doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            throw AcmeProblemException.Malformed("the request body is not JSON");
        }
        if (Array.IndexOf(AccountKey.Algorithms, signed.Algorithm) < 0)
            throw new AcmeProblemException("badSignatureAlgorithm", 400, $"the JWS algorithm {PeerText.Clip(signed.Algorithm, 20)} is not accepted") { Algorithms = AccountKey.Algorithms };
        if (!_nonces.Redeem(signed.Nonce))
            throw new AcmeProblemException("badNonce", 400, signed.Nonce is null ? "the JWS has no nonce" : "the JWS nonce is unknown or was used before");
        var expected = Url(request.Path.Value + request.QueryString.Value).AbsoluteUri;
        if (!string.Equals(signed.Url, expected, StringComparison.Ordinal))
            throw AcmeProblemException.Unauthorized($"the JWS url header ({PeerText.Clip(signed.Url ?? "none", 120)}) is not this request's URL {expected}");
        return signed;
    }

    /// <summary>
    /// Checks the JWS key and signature: with a <c>kid</c>, the key of that account (which must exist and be valid);
    /// with a <c>jwk</c>, that key (allowed only where <paramref name="jwkAllowed"/>). Returns the account (null for a
    /// jwk request) and the key that signed.
    /// </summary>
    private (AccountRecord? Account, AccountKey Key) Authenticate(SignedRequest signed, bool jwkAllowed = false, bool kidAllowed = true)
    {
        AccountRecord? account = null;
        AccountKey key;
        if (signed.Kid is { } kid)
        {
            if (!kidAllowed) throw AcmeProblemException.Malformed("this request is signed with the account's key as a jwk, not a kid");
            var prefix = Url("/acme/acct/").AbsoluteUri;
            lock (_store.Gate)
                account = kid.StartsWith(prefix, StringComparison.Ordinal) ? _store.Account(kid[prefix.Length..]) : null;
            if (account is null) throw new AcmeProblemException("accountDoesNotExist", 400, $"no account at {PeerText.Clip(kid, 120)}");
            if (account.Status != "valid") throw AcmeProblemException.Unauthorized($"the account is {account.Status}");
            key = AccountKey.FromCanonical(account.Key);
        }
        else
        {
            if (!jwkAllowed) throw AcmeProblemException.Malformed("this request is signed with an account's kid, not a jwk");
            key = AccountKey.FromJwk(signed.Jwk!.Value);
        }
        if (signed.Algorithm != key.Algorithm)
            throw new AcmeProblemException("badSignatureAlgorithm", 400, $"the key signs with {key.Algorithm}, not {PeerText.Clip(signed.Algorithm, 20)}") { Algorithms = AccountKey.Algorithms };
        if (!key.Verify(signed.SigningInput, signed.Signature)) throw AcmeProblemException.Malformed("JWS verification error: the signature does not verify under the account's key");
        return (account, key);
    }

    private static async Task JsonAsync(HttpContext context, int status, byte[] json, Uri? location = null)
    {
        context.Response.StatusCode = status;
        if (location is not null) context.Response.Headers.Location = location.AbsoluteUri;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = json.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteProblemAsync(HttpContext context, AcmeProblemException problem)
    {
        var response = context.Response;
        if (problem.RetryAfter is { } wait)
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (problem.Location is { } location) response.Headers.Location = location.AbsoluteUri;
        var json = ResourceWriter.Write(w =>
        {
            ResourceWriter.Problem(w, problem.Type, problem.Message, problem.Status);
            if (problem.Algorithms is { } algorithms)
            {
                w.WriteStartArray("algorithms");
                foreach (var a in algorithms) w.WriteStringValue(a);
                w.WriteEndArray();
            }
        });
        response.StatusCode = problem.Status;
        response.ContentType = "application/problem+json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }

    private static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Stops validations in flight (their challenges stay "processing" and are validated again at the next start).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
