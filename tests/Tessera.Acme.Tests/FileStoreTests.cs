using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>The file store: accounts and certificate pairs round-trip, keys are owner-only, and a wildcard name has a folder of its own.</summary>
public sealed class FileStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-acme-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Accounts_And_Certificate_Pairs_Round_Trip_With_Keys_Owner_Only()
    {
        IAcmeStore store = new AcmeFileStore(_folder);
        var directory = new Uri("https://ca.test:14000/dir");
        Assert.Null(store.LoadAccount(directory));
        store.SaveAccount(directory, new StoredAccount(new Uri("https://ca.test:14000/acct/7"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", ["mailto:a@test.example"]));
        var account = store.LoadAccount(directory)!;
        Assert.Equal("https://ca.test:14000/acct/7", account.Url.AbsoluteUri);
        Assert.Equal(["mailto:a@test.example"], account.Contact);

        const string chain = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        const string key = "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";
        store.SaveCertificate(directory, new StoredCertificate(["*.test.example", "test.example"], chain, key, "ec256", null));
        store.SaveCertificate(directory, new StoredCertificate(["b.test.example"], chain, key, "rsa2048", new Uri("https://ca.test:14000/cert/1")));
        var wildcard = store.LoadCertificate(directory, "*.test.example")!;
        Assert.Equal(["*.test.example", "test.example"], wildcard.Names);
        Assert.Equal(chain, wildcard.ChainPem);
        Assert.Equal(key, wildcard.KeyPem);
        Assert.Equal(["*.test.example", "b.test.example"], store.ListCertificates(directory).Select(c => c.Names[0]).Order(StringComparer.Ordinal));
        Assert.Null(store.LoadCertificate(new Uri("https://other.test/dir"), "b.test.example"));

        if (!OperatingSystem.IsWindows())
            foreach (var file in Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".key", StringComparison.Ordinal) || f.EndsWith("pair.pem", StringComparison.Ordinal)))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories));
    }
}
