using System.Text;
using Tessera.Connection;

namespace Tessera.Interop.Tests.Support;

public static class TesseraClient
{
    /// <summary>
    /// Options trusting the interop CA. A server certificate with an Ed25519 or id-RSASSA-PSS key is outside the Baseline
    /// Requirements (BR §6.1.5, §7.1.3.1.1), so for those the client judges the chain as a private PKI (RFC 5280 profile).
    /// </summary>
    public static TlsClientOptions Options(CertKind? cert = null) => new()
    {
        TrustStore = Certificates.TrustStore.FromPemFile(InteropPki.Shared.CaFile),
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        CertificateProfile = cert is CertKind.Ed25519 or CertKind.RsaPss2048 ? Certificates.VerificationProfile.Rfc5280 : Certificates.VerificationProfile.WebPki,
    };

    public static async Task<TlsStream> ConnectAsync(int port, TlsClientOptions options, string host = "localhost")
    {
        var tcp = await Ports.ConnectAsync(port, TimeSpan.FromSeconds(10));
        var tls = new TlsStream(tcp.GetStream());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await tls.AuthenticateAsClientAsync(options, host, cts.Token);
        return tls;
    }

    /// <summary>Writes <paramref name="data"/> while reading until <paramref name="expect"/> bytes came back (or the text predicate holds).</summary>
    public static async Task<byte[]> ExchangeAsync(TlsStream tls, byte[] data, int expect, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            while (received.Length < expect)
            {
                var n = await tls.ReadAsync(buffer, cts.Token);
                if (n == 0) break;
                received.Write(buffer, 0, n);
            }
        });
        for (var at = 0; at < data.Length; at += 16384)
            await tls.WriteAsync(data.AsMemory(at, Math.Min(16384, data.Length - at)), cts.Token);
        await reader;
        return received.ToArray();
    }

    public static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}
