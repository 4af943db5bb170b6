using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Connection;

namespace Tessera.AspNetCore;

/// <summary>
/// <c>listenOptions.UseTessera(...)</c>: the endpoint speaks TLS through Tessera instead of the platform's TLS (in place of
/// <c>UseHttps</c>). HTTP/2 and HTTP/1.1 follow the endpoint's <c>Protocols</c>.
/// </summary>
public static class TesseraListenOptionsExtensions
{
    /// <summary>Serves the endpoint over Tessera with these server options (certificates, versions, client certificates …).</summary>
    public static ListenOptions UseTessera(this ListenOptions listenOptions, TlsServerOptions serverOptions)
    {
        ArgumentNullException.ThrowIfNull(serverOptions);
        return listenOptions.UseTessera(o => o.ServerOptions = serverOptions);
    }

    /// <summary>Serves the endpoint over Tessera, configured by <paramref name="configure"/> (certificate files, SNI map, selector, server options).</summary>
    public static ListenOptions UseTessera(this ListenOptions listenOptions, Action<TesseraHttpsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TesseraHttpsOptions();
        configure(options);
        var loggers = listenOptions.ApplicationServices.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        MarkAsTls(listenOptions, loggers);
        listenOptions.Use(next => new TesseraConnectionMiddleware(next, listenOptions, options, loggers).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>
    /// Kestrel's own UseHttps marks the endpoint as TLS (the internal <c>ListenOptions.IsTls</c>): its address is then
    /// reported as https:// and Kestrel stops warning at startup that HTTP/2 needs TLS. No public API does this for a
    /// TLS middleware of another library, so the internal setter is called through an <see cref="UnsafeAccessorAttribute"/>
    /// (which, unlike reflection, the trimmer and Native AOT see). If a later Kestrel drops the property, only the
    /// reported scheme and that warning are affected (protocol selection reads the TLS features per connection), so
    /// that case is logged and the endpoint still works.
    /// </summary>
    private static void MarkAsTls(ListenOptions listenOptions, ILoggerFactory loggers)
    {
        try
        {
            SetIsTls(listenOptions, true);
        }
        catch (MissingMethodException)
        {
            loggers.CreateLogger("Tessera.AspNetCore").LogWarning(
                "This Kestrel has no ListenOptions.IsTls; the endpoint works over Tessera but Kestrel reports it as http://.");
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_IsTls")]
    private static extern void SetIsTls(ListenOptions listenOptions, bool value);
}
