using System.Net;

namespace Tessera.Http;

/// <summary>The request a 3xx answer asks for (RFC 9110 §15.4), or null when it should not be followed.</summary>
internal static class Redirect
{
    public static HttpRequestMessage? Next(HttpRequestMessage request, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location || request.RequestUri is not { } from) return null;
        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp) return null;
        if (from.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp) return null;   // never downgrade, as SocketsHttpHandler
        // 301/302 after POST and 303 always become GET without a body (what browsers and SocketsHttpHandler do);
        // 307/308 repeat the method and the body, which must be re-sendable (a buffered content).
        var keepMethod = status is 307 or 308 || (status is 301 or 302 && request.Method != HttpMethod.Post);
        if (status == 303 && request.Method == HttpMethod.Head) keepMethod = true;
        var next = new HttpRequestMessage(keepMethod ? request.Method : HttpMethod.Get, target)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = keepMethod ? request.Content : null,
        };
        foreach (var h in request.Headers)
        {
            if (h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            // Credentials are not sent to another origin.
            if (h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !SameOrigin(from, target)) continue;
            next.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }
        return next;
    }

    private static bool SameOrigin(Uri a, Uri b) => a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);
}
