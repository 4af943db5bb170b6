using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Tessera.Proxy;

/// <summary>
/// YARP's default request copy, plus X-Forwarded-For, -Proto and -Host set to what this proxy saw. They are set, not
/// appended: the proxy is the TLS edge, so a value the client sent is its own claim and would let it pose as another
/// address to a backend that trusts the header (nginx's "proxy_set_header X-Forwarded-For $remote_addr").
/// </summary>
internal sealed class ForwardedHeadersTransformer : HttpTransformer
{
    public static readonly ForwardedHeadersTransformer Instance = new();

    private ForwardedHeadersTransformer()
    {
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var headers = proxyRequest.Headers;
        headers.Remove("X-Forwarded-For");
        headers.Remove("X-Forwarded-Proto");
        headers.Remove("X-Forwarded-Host");
        if (httpContext.Connection.RemoteIpAddress is { } client)
            headers.TryAddWithoutValidation("X-Forwarded-For", ClientHandshakeLimiter.Key(client).ToString());
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        if (httpContext.Request.Host.HasValue) headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
    }
}
