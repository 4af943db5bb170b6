using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Tessera.AspNetCore;

/// <summary>
/// RFC 8470 on the server: <c>app.UseEarlyDataProtection()</c> marks each request with <see cref="IEarlyDataFeature"/>
/// and answers <c>425 Too Early</c> to early-data requests whose method is not safe to replay (anything but GET, HEAD and
/// OPTIONS, §5.2); <c>endpoint.RejectEarlyData()</c> does the same for one endpoint whatever its method. Early data
/// itself stays off unless <c>TlsServerOptions.MaxEarlyData</c> is set.
/// </summary>
public static class EarlyDataApplicationBuilderExtensions
{
    /// <summary>425 Too Early (RFC 8470 §5.2).</summary>
    public const int Status425TooEarly = 425;

    /// <summary>Marks every request with <see cref="IEarlyDataFeature"/> and answers 425 to early requests whose method is not GET, HEAD or OPTIONS.</summary>
    public static IApplicationBuilder UseEarlyDataProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsEarlyData(context) && !IsReplaySafe(context.Request.Method))
        {
            context.Response.StatusCode = Status425TooEarly;
            return;
        }
        await next(context).ConfigureAwait(false);
    });

    /// <summary>425 for any request to this endpoint that arrived as early data, idempotent or not.</summary>
    public static TBuilder RejectEarlyData<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsEarlyData(context.HttpContext)
                ? Results.StatusCode(Status425TooEarly)
                : await next(context).ConfigureAwait(false));

    /// <summary>RFC 8470 §5.2 leaves the choice to the server; GET, HEAD and OPTIONS are the methods it calls safe to replay.</summary>
    public static bool IsReplaySafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>
    /// Whether this request began in TLS early data on its Tessera connection, or a proxy says it did. Decided once per
    /// request and kept as its <see cref="IEarlyDataFeature"/>.
    /// </summary>
    public static bool IsEarlyData(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IEarlyDataFeature>() is { } known) return known.IsEarlyData;
        var early = Decide(context);
        context.Features.Set<IEarlyDataFeature>(new EarlyDataFeature(early));
        return early;
    }

    private static bool Decide(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("Early-Data", out var header) && header.ToString().Trim() == "1") return true;
        if (context.Features.Get<ITesseraTlsFeature>() is not TesseraTlsFeature { EarlyData: { } record }) return false;
        if (context.Features.Get<IHttp2StreamIdFeature>() is { } h2) return record.IsEarlyHttp2Stream(h2.StreamId);
        return record.NextHttp1RequestIsEarly();
    }
}
