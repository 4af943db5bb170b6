using System.Diagnostics;

namespace Tessera.Interop.Tests.Support;

public enum CertKind { EcdsaP256, EcdsaP384, Rsa2048, RsaPss2048, Ed25519 }

/// <summary>
/// A CA and leaf certificates made with the openssl command once per test run, as PEM files every peer
/// (and Tessera) loads: the same files on both sides of each test.
/// </summary>
public sealed class InteropPki
{
    private static readonly Lazy<InteropPki> Instance = new(() => new InteropPki());
    public static InteropPki Shared => Instance.Value;

    private InteropPki()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"tessera-interop-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(Directory);
        Run("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout ca.key -out ca.pem -days 30 -nodes -subj \"/CN=Tessera Interop CA\" " +
            "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
        foreach (var kind in Enum.GetValues<CertKind>()) Leaf(Name(kind), kind, "DNS:localhost,DNS:a.test,IP:127.0.0.1");
        Leaf("b", CertKind.EcdsaP256, "DNS:b.test");
        Leaf("client", CertKind.EcdsaP256, "DNS:client.test", clientAuth: true);
        Leaf("client-rsa", CertKind.Rsa2048, "DNS:client-rsa.test", clientAuth: true);
        // A second CA nobody trusts, for "certificate from the wrong CA" tests.
        Run("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout other-ca.key -out other-ca.pem -days 30 -nodes -subj \"/CN=Other CA\" " +
            "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
        Leaf("stranger", CertKind.EcdsaP256, "DNS:stranger.test", clientAuth: true, ca: "other-ca");
    }

    public string Directory { get; }
    public string CaFile => Path.Combine(Directory, "ca.pem");
    public string CertFile(CertKind kind) => Path.Combine(Directory, Name(kind) + ".pem");
    public string KeyFile(CertKind kind) => Path.Combine(Directory, Name(kind) + ".key");
    public string CertFile(string name) => Path.Combine(Directory, name + ".pem");
    public string KeyFile(string name) => Path.Combine(Directory, name + ".key");

    public static string Name(CertKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// A DER OCSP response for a certificate, signed by the CA with `openssl ocsp` from a one-line index
    /// (status V or R), valid for a day. Cached per certificate and status.
    /// </summary>
    public byte[] OcspResponse(string certificate, bool revoked = false)
    {
        var name = $"{certificate}-{(revoked ? "revoked" : "good")}";
        var output = Path.Combine(Directory, name + ".ocsp");
        lock (this)
        {
            if (!File.Exists(output))
            {
                var serial = RunOutput($"x509 -in {certificate}.pem -serial -noout").Trim().Split('=')[1];
                var line = revoked
                    ? $"R\t301231000000Z\t260101000000Z\t{serial}\tunknown\t/CN={certificate}\n"
                    : $"V\t301231000000Z\t\t{serial}\tunknown\t/CN={certificate}\n";
                File.WriteAllText(Path.Combine(Directory, name + ".index"), line);
                Run($"ocsp -index {name}.index -rsigner ca.pem -rkey ca.key -CA ca.pem -issuer ca.pem -cert {certificate}.pem -respout {name}.ocsp -ndays 1");
            }
        }
        return File.ReadAllBytes(output);
    }

    public string OcspFile(string certificate, bool revoked = false)
    {
        OcspResponse(certificate, revoked);
        return Path.Combine(Directory, $"{certificate}-{(revoked ? "revoked" : "good")}.ocsp");
    }

    private void Leaf(string name, CertKind kind, string san, bool clientAuth = false, string ca = "ca")
    {
        var newkey = kind switch
        {
            CertKind.EcdsaP256 => "-newkey ec -pkeyopt ec_paramgen_curve:P-256",
            CertKind.EcdsaP384 => "-newkey ec -pkeyopt ec_paramgen_curve:P-384",
            CertKind.Rsa2048 => "-newkey rsa:2048",
            CertKind.RsaPss2048 => "-newkey rsa-pss -pkeyopt rsa_keygen_bits:2048",
            CertKind.Ed25519 => "-newkey ed25519",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        // The CN copies the first SAN (BR §7.1.4.3, which the WebPki verifier profile enforces): "DNS:localhost,…" → localhost.
        // Client certificates keep their short CN (the RFC 5280 profile that judges them does not tie CN to SANs).
        var cn = clientAuth ? name : san.Split(',')[0].Split(':', 2)[1];
        Run($"req {newkey} -keyout {name}.key -out {name}.csr -nodes -subj /CN={cn}");
        File.WriteAllText(Path.Combine(Directory, name + ".ext"),
            $"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={(clientAuth ? "clientAuth" : "serverAuth")}\n");
        Run($"x509 -req -in {name}.csr -CA {ca}.pem -CAkey {ca}.key -CAcreateserial -out {name}.pem -days 30 -extfile {name}.ext");
    }

    private void Run(string args) => RunOutput(args);

    private string RunOutput(string args)
    {
        var psi = new ProcessStartInfo(Peer.Which("openssl") ?? throw new InvalidOperationException("openssl is not installed"), args)
        {
            WorkingDirectory = Directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30000) || p.ExitCode != 0) throw new InvalidOperationException($"openssl {args} failed: {errTask.Result}");
        return output;
    }
}
