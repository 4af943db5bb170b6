using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;
using Tessera.Pki;

namespace Tessera.Benchmarks;

/// <summary>
/// `--compression N`: what RFC 8879 certificate compression saves on a three-certificate RSA-2048 chain (leaf,
/// intermediate, root all sent): the bytes of the Certificate message and of the server's whole first flight, measured
/// from a sans-IO handshake, and the time of N full TLS 1.3 handshake pairs in memory for each variant in the same run
/// (the server's compressed form is cached per credential, so the cost left per handshake is the client's
/// decompression). Loopback has no bandwidth to save; the bytes are what a real path carries less.
/// </summary>
internal static class CertificateCompressionBench
{
    public static int Run(int handshakes)
    {
        var (credential, root) = RsaChain();
        var variants = new (string Name, CertificateCompressionAlgorithm[] Algorithms)[]
        {
            ("none", []), ("brotli", [CertificateCompressionAlgorithm.Brotli]), ("zlib", [CertificateCompressionAlgorithm.Zlib]),
        };
        // Every variant is warmed up first, then timed in three interleaved rounds (the median is reported), so JIT,
        // caches and a busy machine weigh on all of them alike.
        var setups = new List<(string Name, TlsClientOptions Client, TlsServerOptions Server, int Certificate, int Flight)>();
        foreach (var (name, algorithms) in variants)
        {
            var server = new TlsServerOptions { Certificates = [credential], CertificateCompression = algorithms };
            var client = new TlsClientOptions { TrustStore = TrustStore.FromCertificates(root), CertificateCompression = algorithms, SessionStore = null, MinVersion = ProtocolVersion.Tls13 };
            var (certificateBytes, flightBytes) = Measure(client, server);
            for (var i = 0; i < Math.Min(100, handshakes); i++) HandshakeSuite.TesseraHandshakeAsync(client, server).GetAwaiter().GetResult();
            setups.Add((name, client, server, certificateBytes, flightBytes));
        }
        var times = new List<double>[setups.Count];
        for (var v = 0; v < setups.Count; v++) times[v] = [];
        for (var round = 0; round < 3; round++)
            for (var v = 0; v < setups.Count; v++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < handshakes; i++) HandshakeSuite.TesseraHandshakeAsync(setups[v].Client, setups[v].Server).GetAwaiter().GetResult();
                times[v].Add(watch.Elapsed.TotalMicroseconds / handshakes);
            }
        var rows = new List<(string Name, int Certificate, int Flight, double Microseconds)>();
        for (var v = 0; v < setups.Count; v++)
        {
            times[v].Sort();
            rows.Add((setups[v].Name, setups[v].Certificate, setups[v].Flight, times[v][1]));
        }
        var none = rows[0];
        Console.WriteLine($"| Certificate compression (3 × RSA-2048) | Certificate message | Server flight | Flight saved | Full handshake pair ({handshakes}×) | Time vs none |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Certificate:N0} B | {r.Flight:N0} B | {none.Flight - r.Flight:N0} B ({(none.Flight - r.Flight) * 100.0 / none.Flight:0}%) | {r.Microseconds:N0} µs | {r.Microseconds / none.Microseconds:0.00}× |"));
        return 0;
    }

    /// <summary>The Certificate (or CompressedCertificate) message's size and the server's whole first flight, from one sans-IO handshake.</summary>
    private static (int Certificate, int Flight) Measure(TlsClientOptions clientOptions, TlsServerOptions serverOptions)
    {
        using var client = TlsConnection.CreateClient(clientOptions, "example.test");
        using var server = TlsConnection.CreateServer(serverOptions);
        Move(client, server);
        var flight = Move(server, client);
        Move(client, server);
        if (!client.IsHandshakeComplete || !server.IsHandshakeComplete) throw new InvalidOperationException("the measured handshake did not complete");
        var certificate = server.SentCertificateCompression?.CompressedLength ?? serverOptions.Certificates[0].Certificate13.Length;
        return (certificate, flight);
    }

    private static int Move(TlsConnection from, TlsConnection to)
    {
        var bytes = from.PendingOutput.ToArray();
        from.ConsumeOutput(bytes.Length);
        to.ReceiveTls(bytes);
        return bytes.Length;
    }

    /// <summary>RSA-2048 root → intermediate → leaf for example.test and www.example.test (Tessera.Pki), the chain sent whole (three certificates).</summary>
    private static (TlsCredential Credential, X509Certificate2 Root) RsaChain()
    {
        var now = DateTimeOffset.UtcNow;
        var root = CertificateIssuer.CreateRoot("Bench RSA Root", KeyType.Rsa2048, now.AddYears(5));
        using var intermediate = root.CreateIntermediate("Bench RSA Intermediate", KeyType.Rsa2048, now.AddYears(4));
        using var leaf = intermediate.Issue(["example.test", "www.example.test"], client: false, now.AddMonths(3), KeyType.Rsa2048);
        return (leaf.ToCredential(intermediate.Certificate, root.Certificate), root.Certificate);
    }
}
