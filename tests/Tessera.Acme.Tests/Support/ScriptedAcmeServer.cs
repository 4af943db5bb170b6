using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Tessera.Certificates;
using Tessera.Pki;

namespace Tessera.Acme.Tests.Support;

/// <summary>
/// An ACME server whose answers a test scripts, on Kestrel over HTTPS (loopback, a free port): the happy path of one
/// order with one http-01 authorization, with hooks to break each step — a directory that is not JSON, a challenge that
/// never validates, Retry-After on processing, a certificate for other names, a 429 rateLimited. It checks no
/// signatures: it is the client's behaviour towards odd servers that is under test, not the server.
/// </summary>
public sealed class ScriptedAcmeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CertificateIssuer _ca = CertificateIssuer.CreateRoot("Scripted ACME Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
    private int _nonce;
    private int _orderPolls;

    public ScriptedAcmeServer()
    {
        using var https = _ca.Issue(["127.0.0.1"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        var certificate = https.WithPrivateKey();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1;
            l.UseHttps(certificate);
        }));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            context.Response.Headers["Replay-Nonce"] = $"nonce{Interlocked.Increment(ref _nonce)}";
            await next();
        });
        _app.MapGet("/dir", () =>
        {
            if (DirectoryBody is { } body) return Results.Content(body, "text/html");
            var directory = new Dictionary<string, string>
            {
                ["newNonce"] = Url("/nonce"), ["newAccount"] = Url("/new-acct"), ["newOrder"] = Url("/new-order"),
                ["revokeCert"] = Url("/revoke"), ["keyChange"] = Url("/key-change"),
            };
            if (RenewalWindow is not null) directory["renewalInfo"] = Url("/renewal-info");
            return Results.Json(directory);
        });
        _app.MapGet("/renewal-info/{id}", (string id, HttpContext c) =>
        {
            RenewalInfoAskedFor = id;
            c.Response.Headers.RetryAfter = "21600";
            var (start, end) = RenewalWindow!.Value;
            return Results.Json(new { suggestedWindow = new { start = start.ToString("O"), end = end.ToString("O") }, explanationURL = Url("/why") });
        });
        _app.MapMethods("/nonce", ["HEAD", "GET"], () => Results.Ok());
        _app.MapPost("/new-acct", (HttpContext c) =>
        {
            c.Response.Headers.Location = Url("/acct/1");
            return Results.Json(new { status = "valid" }, statusCode: 201);
        });
        _app.MapPost("/new-order", async (HttpContext c) =>
        {
            if (NewOrderFailures > 0)
            {
                NewOrderFailures--;
                return Problem(503, "serverInternal", "the database is having a moment");
            }
            if (RateLimited)
            {
                c.Response.Headers.RetryAfter = "3600";
                return Problem(429, "rateLimited", "too many certificates \u001b[2Jalready issued for test.example");
            }
            using (var doc = await JsonDocument.ParseAsync(c.Request.Body))
            {
                using var payload = JsonDocument.Parse(Base64UrlDecode(doc.RootElement.GetProperty("payload").GetString()!));
                Replaces = payload.RootElement.TryGetProperty("replaces", out var r) ? r.GetString() : null;
            }
            c.Response.Headers.Location = Url("/order/1");
            return Results.Json(Order("pending"), statusCode: 201);
        });
        _app.MapPost("/authz/1", () => Results.Json(new
        {
            identifier = new { type = "dns", value = Name },
            status = ChallengeValidates && ChallengeAnswered ? "valid" : "pending",
            challenges = new[] { new { type = "http-01", url = Url("/chall/1"), status = "pending", token = "tok3n-_abc" } },
        }));
        _app.MapPost("/chall/1", () =>
        {
            ChallengeAnswered = true;
            return Results.Json(new { type = "http-01", url = Url("/chall/1"), status = "processing", token = "tok3n-_abc" });
        });
        _app.MapPost("/order/1", (HttpContext c) =>
        {
            if (_csr is null) return Results.Json(Order(ChallengeAnswered && ChallengeValidates ? "ready" : "pending"));
            if (Interlocked.Increment(ref _orderPolls) <= ProcessingPolls)
            {
                c.Response.Headers.RetryAfter = ProcessingRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(Order("processing"));
            }
            return Results.Json(Order("valid"));
        });
        _app.MapPost("/finalize", async (HttpContext c) =>
        {
            using var doc = await JsonDocument.ParseAsync(c.Request.Body);
            var payload = JsonDocument.Parse(Base64UrlDecode(doc.RootElement.GetProperty("payload").GetString()!));
            _csr = Base64UrlDecode(payload.RootElement.GetProperty("csr").GetString()!);
            if (ProcessingPolls > 0) c.Response.Headers.RetryAfter = ProcessingRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(Order("processing"));
        });
        _app.MapPost("/cert/1", () =>
        {
            var request = CertificateRequest.LoadSigningRequest(_csr!, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation);
            var names = CertificateNames ?? [Name];
            using var leaf = _ca.SignLeaf(new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256), names, client: false, DateTimeOffset.UtcNow.AddDays(5));
            return Results.Text(leaf.ExportCertificatePem() + "\n" + _ca.CertificatePem, "application/pem-certificate-chain");
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Port = new Uri(_app.Urls.First()).Port;
    }

    public int Port { get; }
    public Uri Directory => new(Url("/dir"));
    public TrustStore Trust => TrustStore.FromCertificates(_ca.Certificate);
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The one name the order is for.</summary>
    public string Name { get; set; } = "scripted.test.example";

    /// <summary>Non-null: the directory answers this (as text/html) instead of JSON.</summary>
    public string? DirectoryBody { get; set; }

    /// <summary>False: the authorization stays pending however long the client waits.</summary>
    public bool ChallengeValidates { get; set; } = true;

    /// <summary>How many more newOrder requests answer 503 serverInternal before it works.</summary>
    public int NewOrderFailures { get; set; }

    /// <summary>newOrder answers 429 rateLimited with Retry-After: 3600.</summary>
    public bool RateLimited { get; set; }

    /// <summary>How many polls of the finalized order answer "processing" with Retry-After before it is valid.</summary>
    public int ProcessingPolls { get; set; }

    public int ProcessingRetryAfterSeconds { get; set; } = 2;

    /// <summary>Non-null: the directory offers renewalInfo, which answers this window for any certificate.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? RenewalWindow { get; set; }

    /// <summary>The certificate identifier the last renewalInfo request named.</summary>
    public string? RenewalInfoAskedFor { get; private set; }

    /// <summary>The last new order's <c>replaces</c>, if it had one.</summary>
    public string? Replaces { get; private set; }

    /// <summary>Non-null: the certificate names these instead of the ordered name.</summary>
    public string[]? CertificateNames { get; set; }

    private bool ChallengeAnswered { get; set; }
    private byte[]? _csr;

    private string Url(string path) => $"https://127.0.0.1:{Port}{path}";

    private object Order(string status) => new
    {
        status,
        identifiers = new[] { new { type = "dns", value = Name } },
        authorizations = new[] { Url("/authz/1") },
        finalize = Url("/finalize"),
        certificate = status == "valid" ? Url("/cert/1") : null,
    };

    private static IResult Problem(int status, string type, string detail) =>
        Results.Json(new { type = "urn:ietf:params:acme:error:" + type, detail, status }, contentType: "application/problem+json", statusCode: status);

    private static byte[] Base64UrlDecode(string s) => System.Buffers.Text.Base64Url.DecodeFromChars(s);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ca.Dispose();
    }
}
