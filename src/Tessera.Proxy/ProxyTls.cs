using Tessera.Connection;

namespace Tessera.Proxy;

/// <summary>The check both listener kinds make before a reload swaps TLS settings in.</summary>
internal static class ProxyTls
{
    /// <summary>Throws <see cref="ArgumentException"/> (with the reason) when <paramref name="tls"/> cannot serve handshakes.</summary>
    public static void Validate(TlsServerOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        try
        {
            tls.Validate();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TlsException)
        {
            throw new ArgumentException($"the TLS settings are invalid: {e.Message}", e);
        }
    }
}
