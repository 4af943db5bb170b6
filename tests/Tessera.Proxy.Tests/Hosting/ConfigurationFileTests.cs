using System.Net;
using Tessera.Proxy.Hosting;
using Tessera.Proxy.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Proxy.Tests.Hosting;

/// <summary>The proxy's JSON configuration: every key checked, sentences that name the file and the key, defaults applied.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tessera-proxy-file-").FullName;

    public ConfigurationFileTests()
    {
        using var root = CertificateIssuer.CreateRoot("Proxy File Root", KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddDays(30));
        using var leaf = root.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(10), KeyType.EcdsaP256);
        PemPair.Write(_folder, "c", leaf);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Bakend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Bakend is not a setting of a site; those are ServerNames, Certificate, Key, Backend, Mode")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Certificate is missing")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1", "Mode": "udp" } } } } }""",
        "Listeners:main:Sites:a:Mode must be tcp or http, not 'udp'")]
    [InlineData("""{ "Defaults": { "Versions": [ "1.1" ] }, "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Defaults:Versions has '1.1'; the versions are 1.2 and 1.3")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1", "ClientAuth": "required" } } } } }""",
        "Listeners:main:Sites:a:ClientAuth is required, which needs ClientCa")]
    [InlineData("""{ "Defaults": { "ClientAuth": "optional" }, "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Defaults:ClientAuth is optional, which needs ClientCa")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "MaxConnections": "many", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:MaxConnections must be a whole number from 1 to 1000000, not 'many'")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" }, "b": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:2" } } } } }""",
        "Listeners:main:Sites sites 'a' and 'b' both have no server names; only one site can be the default")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1", "Mode": "http", "ProxyProtocol": true } } } } }""",
        "Listeners:main:Sites:a:ProxyProtocol is for the tcp mode")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1", "Versions": [ "1.2" ], "EarlyData": 1024 } } } } }""",
        "Listeners:main:Sites:a:EarlyData is TLS 1.3's; the site offers only TLS 1.2")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "example.com:443", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Listen needs an IP address, not 'example.com'")]
    [InlineData("""{ "Listeners": { "one": { "Listen": "127.0.0.1:9", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } }, "two": { "Listen": "127.0.0.1:9", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:two:Listen 127.0.0.1:9 is already listener 'one''s")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "ServerNames": [ "a.test" ], "Certificate": "c.pem", "Key": "c.key", "Acme": { "Directory": "https://ca.test/dir" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme replaces Certificate and Key; a site has one or the other")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Acme": { "Directory": "http://ca.test/dir" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme:Directory must be the CA's https directory URL, not 'http://ca.test/dir'")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Acme": { "Directory": "https://ca.test/dir", "Contact": "x" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme:Contact is not a setting of Acme; those are Directory, Email, Challenge, DnsHook, Profile, KeyType, Ca, Eab")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Acme": { "Directory": "https://ca.test/dir" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:ServerNames must name the site's host names: an ACME site's certificate is ordered for them")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "ServerNames": [ "a.test" ], "Acme": { "Directory": "https://ca.test/dir", "Challenge": "dns-02" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme:Challenge must be tls-alpn-01, http-01 or dns-01, not 'dns-02'")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "ServerNames": [ "a.test" ], "Acme": { "Directory": "https://ca.test/dir", "Challenge": "dns-01" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme:DnsHook is missing: dns-01 needs the program that sets the TXT record")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "ServerNames": [ "a.test" ], "Acme": { "Directory": "https://ca.test/dir", "Challenge": "http-01" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:Acme:Challenge is http-01, which needs the proxy's plain-HTTP listener (Acme:HttpListen, or --http-redirect)")]
    [InlineData("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "ServerNames": [ "*.a.test" ], "Acme": { "Directory": "https://ca.test/dir" }, "Backend": "127.0.0.1:1" } } } } }""",
        "Listeners:main:Sites:a:ServerNames has the wildcard '*.a.test', which only dns-01 can prove")]
    [InlineData("""{ "Listener": { } }""", "Listener is not a setting; the file has Defaults, Listeners, Redis, TicketRotation and Acme")]
    [InlineData("""{ "TicketRotation": "0.5", "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "TicketRotation must be a number of seconds from 1 to 604800, not '0.5'")]
    [InlineData("""{ "Redis": { "Host": "127.0.0.1:6379" }, "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""",
        "Redis:Host is not a setting of Redis; those are Configuration and KeyFile")]
    [InlineData("""{ "Listeners": { "main": { "Listen": """, "is not valid JSON")]
    public void A_Bad_File_Is_Refused_With_A_Sentence_Naming_The_File_And_The_Key(string json, string sentence)
    {
        var file = Write(json);
        var e = Assert.Throws<ProxyHostException>(() => ProxyListenerSetup.Build(ProxyConfigurationFile.Load(file), new ProxyResumption()));
        Assert.Equal(ProxyHostFailure.Configuration, e.Failure);
        Assert.Contains(sentence, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_File_That_Is_Missing_Or_Names_A_Missing_Certificate_Is_A_File_Failure_Naming_It()
    {
        var missing = Path.Combine(_folder, "nope.json");
        var e = Assert.Throws<ProxyHostException>(() => ProxyConfigurationFile.Load(missing));
        Assert.Equal(ProxyHostFailure.File, e.Failure);
        Assert.Equal($"cannot read {missing}: there is no such file", e.Message);

        var file = Write("""{ "Listeners": { "main": { "Listen": "127.0.0.1:0", "Sites": { "a": { "Certificate": "gone.pem", "Key": "c.key", "Backend": "127.0.0.1:1" } } } } }""");
        e = Assert.Throws<ProxyHostException>(() => ProxyListenerSetup.Build(ProxyConfigurationFile.Load(file), new ProxyResumption()));
        Assert.Equal(ProxyHostFailure.File, e.Failure);
        Assert.StartsWith($"{file}: Listeners:main:Sites:a:Certificate: cannot load the certificate {Path.Combine(_folder, "gone.pem")}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_Listeners_Are_Read_With_Defaults_Applied_And_Files_Relative_To_The_File()
    {
        var file = Write("""
            {
              "Defaults": { "Mode": "http", "IdleTimeout": 60, "MaxHandshakesPerClient": 8 },
              "Listeners": {
                "web": { "Listen": "127.0.0.1:8443", "Sites": { "site": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:8080" } } },
                "db": { "Listen": "[::1]:6380", "MaxHandshakesPerClient": 2,
                        "Sites": { "redis": { "Certificate": "c.pem", "Key": "c.key", "Backend": "127.0.0.1:6379", "Mode": "tcp", "ProxyProtocol": true, "Alpn": [ "redis" ], "EarlyData": 4096, "Ocsp": "off" } } }
              },
              "TicketRotation": 600
            }
            """);
        var configuration = ProxyConfigurationFile.Load(file);
        Assert.Equal(TimeSpan.FromMinutes(10), configuration.TicketRotation);
        Assert.Null(configuration.Redis);
        var listeners = ProxyListenerSetup.Build(configuration, new ProxyResumption());
        Assert.Equal(["db", "web"], listeners.Select(l => l.Name).Order());
        var web = listeners.Single(l => l.Name == "web").Options;
        var db = listeners.Single(l => l.Name == "db");
        Assert.Equal(ProxyMode.Http, web.Sites[0].Mode);
        Assert.Equal(TimeSpan.FromSeconds(60), web.IdleTimeout);
        Assert.Equal(8, web.MaxHandshakesPerClient);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 6380), db.Options.Listen);
        Assert.Equal(2, db.Options.MaxHandshakesPerClient);
        Assert.Equal(ProxyMode.Tcp, db.Options.Sites[0].Mode);
        Assert.True(db.Options.Sites[0].ProxyProtocol);
        Assert.Equal(["redis"], db.Options.Sites[0].Tls.ApplicationProtocols);
        Assert.Equal(4096u, db.Options.Sites[0].Tls.MaxEarlyData);
        Assert.Equal(0u, web.Sites[0].Tls.MaxEarlyData);
        Assert.Contains("redis", db.WithoutOcsp);
        Assert.Contains(Path.Combine(_folder, "c.pem"), db.Files);
        Assert.Contains(Path.Combine(_folder, "c.key"), db.Files);
    }

    private string Write(string json)
    {
        var file = Path.Combine(_folder, "proxy.json");
        File.WriteAllText(file, json);
        return file;
    }
}
