using Tessera.Certificates;
using Tessera.Pki;

namespace Tessera.Scan.Tests.Support;

/// <summary>
/// The scan tests' CA (Tessera.Pki, ECDSA P-256) and the server certificates it issues for localhost and 127.0.0.1, as
/// PEM files the peers load (PREFIX.pem, PREFIX.key), made once per test run.
/// </summary>
public sealed class ScanPki
{
    private static readonly Lazy<ScanPki> Instance = new(() => new ScanPki());
    private readonly CertificateIssuer _issuer = CertificateIssuer.CreateRoot("Scan Test Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(90));
    private readonly Lock _lock = new();

    private ScanPki()
    {
        File.WriteAllText(RootFile, _issuer.CertificatePem);
    }

    public static ScanPki Shared => Instance.Value;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("tessera-scan-pki-").FullName;
    public string RootFile => Path.Combine(Directory, "root.pem");
    public TrustStore Trust => TrustStore.FromCertificates(_issuer.Certificate);

    /// <summary>A localhost certificate with a <paramref name="keyType"/> key ("rsa2048", "ecdsa-p256"); returns its PREFIX.</summary>
    public string Certificate(string keyType)
    {
        var prefix = Path.Combine(Directory, keyType);
        lock (_lock)
        {
            if (File.Exists(prefix + ".pem")) return prefix;
            using var leaf = _issuer.Issue(["localhost", "127.0.0.1"], client: false, DateTimeOffset.UtcNow.AddDays(30), KeyTypes.Parse(keyType));
            Write(prefix, leaf);
        }
        return prefix;
    }

    /// <summary>A localhost certificate that expired yesterday (issued as if a month ago); returns its PREFIX.</summary>
    public string Expired()
    {
        var prefix = Path.Combine(Directory, "expired");
        lock (_lock)
        {
            var now = _issuer.Clock;
            _issuer.Clock = new ShiftedClock(TimeSpan.FromDays(-30));
            try
            {
                using var leaf = _issuer.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(-1), KeyType.EcdsaP256);
                Write(prefix, leaf);
            }
            finally
            {
                _issuer.Clock = now;
            }
        }
        return prefix;
    }

    private static void Write(string prefix, IssuedCertificate leaf)
    {
        File.WriteAllText(prefix + ".pem", leaf.CertificatePem);
        File.WriteAllText(prefix + ".key", leaf.KeyPem);
    }

    private sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
