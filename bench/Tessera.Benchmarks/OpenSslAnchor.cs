using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// Tessera's sans-IO full TLS 1.3 pair against OpenSSL's own in-memory loop (bench/openssl-handshake/handshake.c):
/// the same certificate chain (written out as PEM for the C program), X25519, the client verifying the chain, one
/// byte each way; both loops run in this one invocation, alternately, and the ratio is OpenSSL's time over Tessera's.
/// Usage: `--openssl-anchor PATH-TO-HANDSHAKE-BINARY [pairs] [rounds]` (bench/openssl-anchor.sh builds and runs it).
/// </summary>
public static class OpenSslAnchor
{
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !File.Exists(args[1]))
        {
            Console.Error.WriteLine("usage: --openssl-anchor PATH-TO-HANDSHAKE-BINARY [pairs] [rounds]");
            return 2;
        }
        var pairs = args.Length > 2 && int.TryParse(args[2], out var p) && p > 0 ? p : 2000;
        var rounds = args.Length > 3 && int.TryParse(args[3], out var r) && r > 0 ? r : 3;
        var pki = new BenchPki();
        var directory = Directory.CreateTempSubdirectory("tessera-anchor-");
        try
        {
            var chain = Path.Combine(directory.FullName, "chain.pem");
            var key = Path.Combine(directory.FullName, "key.pem");
            var root = Path.Combine(directory.FullName, "root.pem");
            File.WriteAllText(chain, pki.Leaf.ExportCertificatePem() + "\n" + pki.Intermediate.ExportCertificatePem() + "\n");
            using (var leafKey = pki.Leaf.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the bench leaf has no ECDSA key"))
                File.WriteAllText(key, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
            File.WriteAllText(root, pki.Root.ExportCertificatePem() + "\n");

            var server = new TlsServerOptions
            {
                Certificates = [TlsCredential.FromCertificate(pki.Leaf, pki.Intermediate)],
                Groups = [NamedGroup.X25519],
            };
            var client = new TlsClientOptions { TrustStore = TrustStore.FromCertificates(pki.Root), Groups = [NamedGroup.X25519], SessionStore = null };
            for (var i = 0; i < 300; i++) ProfileLoop.One(client, server);

            Console.WriteLine($"{"round",-6} {"OpenSSL pair",13} {"Tessera pair",13} {"OpenSSL/Tessera",16}");
            var best = (OpenSsl: double.MaxValue, Tessera: double.MaxValue);
            for (var round = 1; round <= rounds; round++)
            {
                var openssl = RunC(args[1], chain, key, root, pairs);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < pairs; i++) ProfileLoop.One(client, server);
                var tessera = clock.Elapsed.TotalMicroseconds / pairs;
                Console.WriteLine($"{round,-6} {openssl,10:0} µs {tessera,10:0} µs {openssl / tessera,15:0.00}×");
                best = (Math.Min(best.OpenSsl, openssl), Math.Min(best.Tessera, tessera));
            }
            Console.WriteLine($"{"best",-6} {best.OpenSsl,10:0} µs {best.Tessera,10:0} µs {best.OpenSsl / best.Tessera,15:0.00}×");
            Console.WriteLine("target: OpenSSL/Tessera ≥ 2.00×");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static double RunC(string program, string chain, string key, string root, int pairs)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { chain, key, root, pairs.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill();
            throw new TimeoutException($"{program} ran for more than 10 minutes");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error.Result}");
        return double.Parse(output.Result.Trim(), CultureInfo.InvariantCulture);
    }
}
