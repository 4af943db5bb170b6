using System.Security.Cryptography.X509Certificates;
using Tessera.Certificates;
using Xunit;

namespace Tessera.Pki.Tests;

/// <summary>
/// The CA library on its own: a CA directory is made with keys owner-only, what it issues passes Tessera's verifier
/// under the WebPki profile (or RFC 5280 for Ed25519) and breaks no issuance rule, revocation reaches the CRL, and files
/// are written atomically and never over an existing one unless asked.
/// </summary>
public sealed class LocalCaTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-pki-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(KeyType.EcdsaP256, VerificationProfile.WebPki)]
    [InlineData(KeyType.EcdsaP384, VerificationProfile.WebPki)]
    [InlineData(KeyType.Rsa2048, VerificationProfile.WebPki)]
    [InlineData(KeyType.Ed25519, VerificationProfile.Rfc5280)]
    public void What_The_Ca_Issues_Verifies_And_Breaks_No_Issuance_Rule(KeyType keyType, VerificationProfile profile)
    {
        var ca = LocalCa.Init(Path.Combine(_folder, "ca"), keyType, "Pki Test", force: false);
        var (chainPem, keyPem, leaf) = ca.Issue(["www.example.test", "192.0.2.7"], client: false, days: 30, keyType);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(chainPem);
        Assert.Equal(2, chain.Count);
        Assert.Contains("PRIVATE KEY", keyPem, StringComparison.Ordinal);
        new TesseraCertificateVerifier(TrustStore.FromPemFile(ca.RootFile), RevocationMode.Off, profile: profile)
            .Verify(new CertificateVerificationRequest([.. chain], "www.example.test", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
        foreach (var cert in chain) Assert.Empty(IssuanceLint.Check(cert));
        Assert.Equal("CN=www.example.test", leaf.Subject);
        if (!OperatingSystem.IsWindows())
            foreach (var key in Directory.GetFiles(ca.Directory, "*.key"))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    [Fact]
    public void A_Revoked_Certificate_Is_On_The_Next_Crl_And_An_Unknown_Serial_Is_Refused()
    {
        var ca = LocalCa.Init(Path.Combine(_folder, "ca"), KeyType.EcdsaP256, "Pki Test", force: false);
        var (chainPem, _, leaf) = ca.Issue(["revoked.example.test"], client: false, days: 30, KeyType.EcdsaP256);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(chainPem);
        var request = new CertificateVerificationRequest([.. chain], "revoked.example.test", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow);
        TesseraCertificateVerifier Checking(string crlFile) =>
            new(TrustStore.FromPemFile(ca.RootFile), RevocationMode.SoftFail, [CertificateRevocationList.FromPem(File.ReadAllText(crlFile))]);
        Checking(ca.WriteCrl(7)).Verify(request);   // not revoked yet: the CRL is believed and does not list it
        ca.Revoke(leaf.SerialNumber);
        var e2 = Assert.Throws<TlsException>(() => Checking(ca.WriteCrl(7)).Verify(request));
        Assert.Equal(Tessera.Wire.AlertDescription.CertificateRevoked, e2.Alert);
        var e = Assert.Throws<PkiException>(() => ca.Revoke("0badc0de"));
        Assert.Equal(PkiFailure.InvalidRequest, e.Failure);
        Assert.Contains("0badc0de was not issued by this CA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_Does_Not_Overwrite_A_Ca_Unless_Forced_And_Open_Says_When_There_Is_None()
    {
        var dir = Path.Combine(_folder, "ca");
        LocalCa.Init(dir, KeyType.EcdsaP256, "Pki Test", force: false);
        var root = File.ReadAllText(Path.Combine(dir, "root.pem"));
        var refused = Assert.Throws<PkiException>(() => LocalCa.Init(dir, KeyType.EcdsaP256, "Pki Test", force: false));
        Assert.Equal(PkiFailure.Files, refused.Failure);
        Assert.Equal(root, File.ReadAllText(Path.Combine(dir, "root.pem")));
        LocalCa.Init(dir, KeyType.EcdsaP256, "Pki Test", force: true);
        Assert.NotEqual(root, File.ReadAllText(Path.Combine(dir, "root.pem")));
        var none = Assert.Throws<PkiException>(() => LocalCa.Open(Path.Combine(_folder, "nothing")));
        Assert.Contains("run `tessera ca init` first", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_Are_Replaced_In_One_Rename_And_Leave_No_Temporary_Behind()
    {
        var path = Path.Combine(_folder, "deep", "key.pem");
        PkiFiles.Write(path, "first", force: false, secret: true);
        Assert.Throws<PkiException>(() => PkiFiles.Write(path, "second", force: false, secret: true));
        Assert.Equal("first", File.ReadAllText(path));
        PkiFiles.Write(path, "second", force: true, secret: true);
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["key.pem"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_In_Memory_Issuer_Makes_Credentials_Tessera_Serves_And_Verifies()
    {
        var end = DateTimeOffset.UtcNow.AddDays(1);
        using var root = CertificateIssuer.CreateRoot("Memory Root", KeyType.EcdsaP256, end);
        using var intermediate = root.CreateIntermediate("Memory Intermediate", KeyType.EcdsaP384, end);
        using var leaf = intermediate.Issue(["api.example.test"], client: false, end.AddYears(1), KeyType.Rsa2048);
        Assert.True(leaf.Certificate.NotAfter <= intermediate.Certificate.NotAfter, "never past the issuer's validity");
        using var credential = leaf.ToCredential(intermediate.Certificate);
        new TesseraCertificateVerifier(TrustStore.FromCertificates(root.Certificate), RevocationMode.Off)
            .Verify(new CertificateVerificationRequest([.. credential.Chain], "api.example.test", CertificatePurpose.ServerAuthentication, DateTimeOffset.UtcNow));
        using var person = intermediate.Issue([], client: true, end, KeyType.Ed25519, subject: "CN=alice");
        Assert.Equal("CN=alice", person.Certificate.Subject);
        Assert.Null(person.Certificate.Extensions["2.5.29.17"]);   // a subject alone: no SAN
        Assert.Equal(PkiFailure.InvalidRequest, Assert.Throws<PkiException>(() => intermediate.Issue([], client: false, end, KeyType.EcdsaP256)).Failure);
    }

    [Fact]
    public void Key_Types_Parse_By_Their_Names_And_A_Key_Round_Trips_Through_Pem()
    {
        Assert.Equal(KeyType.Ed25519, KeyTypes.Parse("ed25519"));
        Assert.Equal(KeyType.EcdsaP256, KeyTypes.Parse("P256"));
        Assert.Equal(PkiFailure.InvalidRequest, Assert.Throws<PkiException>(() => KeyTypes.Parse("dsa")).Failure);
        foreach (var type in Enum.GetValues<KeyType>())
        {
            using var key = CaKey.Create(type);
            using var again = CaKey.Load(key.ExportPem());
            Assert.Equal(key.PublicKey.EncodedKeyValue.RawData, again.PublicKey.EncodedKeyValue.RawData);
        }
    }
}
