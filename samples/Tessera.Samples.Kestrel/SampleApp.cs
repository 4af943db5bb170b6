using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore;

namespace Tessera.Samples.Kestrel;

/// <summary>
/// Kestrel on 127.0.0.1 with Tessera as its TLS: the one line is <c>listen.UseTessera(...)</c> where an app would
/// write <c>listen.UseHttps(...)</c>. <c>GET /</c> answers with JSON describing the connection.
/// </summary>
public static class SampleApp
{
    public static WebApplication Build(SampleSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Tessera.AspNetCore", LogLevel.Information);
        if (settings.Logging is { } provider) builder.Logging.AddProvider(provider);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AllowAlternateSchemes = settings.AllowAlternateSchemes);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port, listen =>
        {
            listen.Protocols = settings.Protocols;
            listen.UseTessera(tls =>
            {
                tls.AddCertificateFiles(settings.CertificateFile, settings.KeyFile);   // reloaded when the files change
                settings.ConfigureTls?.Invoke(tls);
            });
        }));
        var app = builder.Build();
        app.UseEarlyDataProtection();                  // RFC 8470: marks 0-RTT requests, 425 for unsafe methods in them
        app.MapGet("/", ConnectionDescription.Write);
        // A request that must not be replayed: counts what reaches it (tests read the count from the answer).
        var posts = 0;
        app.MapMethods("/count", ["GET", "POST"], () => Results.Text($"{Interlocked.Increment(ref posts)}\n"));
        // A GET that still must not be served from early data (it has an effect): 425 for 0-RTT, whatever the method.
        var guarded = 0;
        app.MapGet("/no-early", () => Results.Text($"{Interlocked.Increment(ref guarded)}\n")).RejectEarlyData();
        return app;
    }
}
