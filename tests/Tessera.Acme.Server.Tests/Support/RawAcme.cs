using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tessera.Connection;
using Tessera.Http;

namespace Tessera.Acme.Server.Tests.Support;

/// <summary>
/// A hand-driven ACME client for hostile requests: JWS signed with the client library's own code (<c>Jws.Sign</c>),
/// but with whatever nonce, url, key and body a test chooses, and the answer kept whole (status, problem, headers).
/// </summary>
public sealed class RawAcme(AcmeCa ca) : IDisposable
{
    private readonly HttpClient _http = new(new TesseraHttpHandler(new TlsClientOptions { TrustStore = ca.Trust }));

    public Uri Url(string path) => new(ca.Directory, path);

    public async Task<string> NonceAsync()
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url("/acme/new-nonce")));
        return response.Headers.GetValues("Replay-Nonce").Single();
    }

    /// <summary>POSTs <paramref name="payload"/> (null: POST-as-GET) to <paramref name="path"/> signed by <paramref name="key"/>.</summary>
    public async Task<Answer> PostAsync(string path, AcmeAccountKey key, Uri? kid, object? payload, string? nonce = null, string? urlHeader = null)
    {
        var bytes = payload switch
        {
            null => null,
            string json => Encoding.UTF8.GetBytes(json),
            _ => throw new ArgumentException("payload is JSON text", nameof(payload)),
        };
        var jws = Jws.Sign(key, kid, nonce ?? await NonceAsync(), new Uri(urlHeader ?? Url(path).AbsoluteUri), bytes);
        return await SendAsync(path, JsonSerializer.SerializeToUtf8Bytes(jws, AcmeJsonContext.Default.FlattenedJws));
    }

    public async Task<Answer> SendAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
        using var response = await _http.PostAsync(Url(path), content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text, response.Headers.Location, response.Headers.RetryAfter?.Delta);
    }

    public void Dispose() => _http.Dispose();

    public sealed record Answer(HttpStatusCode Status, string Body, Uri? Location, TimeSpan? RetryAfter)
    {
        public string? ProblemType => Json()?.TryGetProperty("type", out var t) == true ? t.GetString() : null;
        public string? Detail => Json()?.TryGetProperty("detail", out var d) == true ? d.GetString() : null;

        public JsonElement? Json()
        {
            try
            {
                using var doc = JsonDocument.Parse(Body);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public override string ToString() => $"{(int)Status} {Body}";
    }
}
