using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Xml.Linq;
using Tessera.Interop.Tests.Support;
using Tessera.Packages.Tests.Support;
using Tessera.Tests.Support;
using Xunit;

namespace Tessera.Packages.Tests;

/// <summary>
/// The packages are complete: a new project that knows Tessera only by package id and version restores, builds and
/// runs against real peers, and the tool installs from the feed and runs as a native program.
/// </summary>
public sealed class PackagesTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    [Theory]
    [InlineData("Tessera", "lib/net10.0/Tessera.dll", "lib/net10.0/Tessera.xml")]
    [InlineData("Tessera.AspNetCore", "lib/net10.0/Tessera.AspNetCore.dll", "lib/net10.0/Tessera.AspNetCore.xml")]
    [InlineData("Tessera.Redis", "lib/net10.0/Tessera.Redis.dll", "lib/net10.0/Tessera.Redis.xml")]
    [InlineData("Tessera.Pki", "lib/net10.0/Tessera.Pki.dll", "lib/net10.0/Tessera.Pki.xml")]
    [InlineData("Tessera.Proxy", "lib/net10.0/Tessera.Proxy.dll", "lib/net10.0/Tessera.Proxy.xml")]
    [InlineData("Tessera.Scan", "lib/net10.0/Tessera.Scan.dll", "lib/net10.0/Tessera.Scan.xml")]
    [InlineData("Tessera.Acme", "lib/net10.0/Tessera.Acme.dll", "lib/net10.0/Tessera.Acme.xml")]
    [InlineData("Tessera.Acme.Server", "lib/net10.0/Tessera.Acme.Server.dll", "lib/net10.0/Tessera.Acme.Server.xml")]
    public void Library_Packages_Carry_Readme_Licence_Repository_Docs_And_Symbols(string id, string dll, string xml)
    {
        using var package = ZipFile.OpenRead(feed.Package(id));
        var nuspec = Nuspec(package);
        Assert.Equal(feed.Version, Metadata(nuspec, "version"));
        Assert.DoesNotContain("Package Description", Metadata(nuspec, "description"));
        Assert.Equal("MIT", Metadata(nuspec, "license"));
        Assert.Equal("README.md", Metadata(nuspec, "readme"));
        Assert.Contains(package.Entries, e => e.FullName == "README.md" && e.Length > 500);
        var repository = nuspec.Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
        Assert.Contains(package.Entries, e => e.FullName == dll);
        var docs = package.Entries.Single(e => e.FullName == xml);
        using (var reader = new StreamReader(docs.Open()))
            Assert.Contains("<member name=", reader.ReadToEnd());

        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(feed.Package(id), ".snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName == Path.ChangeExtension(dll, ".pdb"));
    }

    [Fact]
    public void Tool_Package_Points_At_A_Native_Linux_Package_And_A_Portable_Fallback()
    {
        using var pointer = ZipFile.OpenRead(feed.Package("Tessera.Cli"));
        Assert.Equal("README.md", Metadata(Nuspec(pointer), "readme"));
        var settings = XDocument.Load(pointer.Entries.Single(e => e.Name == "DotnetToolSettings.xml").Open());
        var rids = settings.Descendants("RuntimeIdentifierPackage").Select(e => e.Attribute("RuntimeIdentifier")!.Value).Order().ToArray();
        Assert.Equal(["any", "linux-x64"], rids);

        using var native = ZipFile.OpenRead(feed.Package("Tessera.Cli.linux-x64"));
        var binary = native.Entries.Single(e => e.FullName == "tools/any/linux-x64/Tessera.Cli");
        using (var stream = binary.Open())
        {
            var magic = new byte[4];
            stream.ReadExactly(magic);
            Assert.Equal("\u007fELF"u8.ToArray(), magic);   // a native executable, not an assembly
        }
        Assert.DoesNotContain(native.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal));

        using var portable = ZipFile.OpenRead(feed.Package("Tessera.Cli.any"));
        Assert.Contains(portable.Entries, e => e.FullName == "tools/net10.0/any/Tessera.Cli.dll");
    }

    [Fact]
    public async Task Fresh_Project_References_The_Packages_By_Version_And_Talks_To_OpenSsl_And_Kestrel()
    {
        var dir = Directory.CreateDirectory(Path.Combine(feed.Root, "consumer")).FullName;
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"),
            File.ReadAllText(Path.Combine(template, "Consumer.csproj")).Replace("@TESSERA_VERSION@", feed.Version, StringComparison.Ordinal));
        File.Copy(Path.Combine(template, "Program.cs"), Path.Combine(dir, "Program.cs"));
        WriteNuGetConfig(dir);

        // A root, and a server certificate for localhost and 127.0.0.1, for openssl and for the program's own Kestrel.
        var root = CertBuilder.Root("Packages Test Root");
        var leaf = CertBuilder.Leaf(root, dns: ["localhost"], ips: ["127.0.0.1"]);
        var rootPem = Write(dir, "root.pem", root.ExportCertificatePem());
        var certPem = Write(dir, "server.pem", leaf.ExportCertificatePem());
        using (var key = leaf.GetECDsaPrivateKey()!)
            Write(dir, "server.key", key.ExportPkcs8PrivateKeyPem());
        var keyPem = Path.Combine(dir, "server.key");

        (await Command.RunAsync("nice", ["-n", "19", "dotnet", "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false"], dir, BuildTimeout, feed.Environment))
            .EnsureSuccess("dotnet build of the fresh project");
        var restored = Path.Combine(feed.NuGetPackages, "tessera", feed.Version);
        Assert.True(Directory.Exists(restored), $"Tessera {feed.Version} was not restored from the feed into {feed.NuGetPackages}");

        var port = Ports.Free();
        using var openssl = Peer.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {certPem} -key {keyPem} -tls1_3 -www -naccept 1");
        await openssl.WaitForOutputAsync("ACCEPT", TimeSpan.FromSeconds(10));
        var run = await Command.RunAsync("dotnet", ["bin/Release/net10.0/Consumer.dll", port.ToString(System.Globalization.CultureInfo.InvariantCulture), rootPem, certPem, keyPem],
            dir, TimeSpan.FromMinutes(1), feed.Environment);
        run.EnsureSuccess("the fresh project");
        Assert.Contains("openssl: TLS 1.3 TLS_AES_", run.Output);
        Assert.Contains("HTTP/1.0 200 ok", run.Output);
        Assert.Matches(@"kestrel: https://127\.0\.0\.1:\d+ HTTP/1\.1 over TLS 1\.3", run.Output);
        Assert.Contains("pki: TLS 1.3 TLS_", run.Output);
        Assert.Contains("proxy: through the proxy", run.Output);
        Assert.Contains("scan: TLS 1.3 offered, grade A", run.Output);
    }

    [Fact]
    public async Task Tool_Installs_From_The_Feed_As_A_Native_Program_And_Runs_Demo()
    {
        var dir = Directory.CreateDirectory(Path.Combine(feed.Root, "tool")).FullName;
        WriteNuGetConfig(dir);
        var tools = Path.Combine(dir, "tools");
        (await Command.RunAsync("dotnet", ["tool", "install", "Tessera.Cli", "--version", feed.Version, "--tool-path", tools], dir, BuildTimeout, feed.Environment))
            .EnsureSuccess("dotnet tool install");

        // On linux-x64 the native package is the one installed: an ELF program and no assemblies to JIT.
        var store = Path.Combine(tools, ".store");
        var installed = Directory.GetFiles(store, "Tessera.Cli", SearchOption.AllDirectories);
        Assert.Single(installed);
        Assert.Contains("tessera.cli.linux-x64", installed[0], StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(store, "Tessera.Cli.dll", SearchOption.AllDirectories));

        var tessera = Path.Combine(tools, "tessera");
        var version = await Command.RunAsync(tessera, ["--version"], dir, TimeSpan.FromSeconds(30));
        version.EnsureSuccess("tessera --version");
        Assert.StartsWith(feed.Version, version.Output.Trim(), StringComparison.Ordinal);

        var demo = await Command.RunAsync(tessera, ["demo", "--brief"], dir, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["TESSERA_HOME"] = Path.Combine(dir, "home") });
        demo.EnsureSuccess("tessera demo");
        Assert.Contains("TLS 1.3", demo.Output);
        Assert.Contains("HelloRetryRequest", demo.Output);
        Assert.Contains("echoed: hello from the Tessera demo", demo.Output);

        // The inspector says what it ran on, and marks the one handshake of a fresh process that pays first-use costs.
        var root = CertBuilder.Root("Tool Test Root");
        var leaf = CertBuilder.Leaf(root, dns: ["localhost"]);
        var rootPem = Write(dir, "root.pem", root.ExportCertificatePem());
        var certPem = Write(dir, "server.pem", leaf.ExportCertificatePem());
        string keyPem;
        using (var key = leaf.GetECDsaPrivateKey()!)
            keyPem = Write(dir, "server.key", key.ExportPkcs8PrivateKeyPem());
        var port = Ports.Free();
        using var openssl = Peer.Start("openssl", $"s_server -accept 127.0.0.1:{port} -cert {certPem} -key {keyPem} -tls1_3");
        await openssl.WaitForOutputAsync("ACCEPT", TimeSpan.FromSeconds(10));
        var connect = await Command.RunAsync(tessera, ["connect", $"127.0.0.1:{port}", "--servername", "localhost", "--ca", rootPem, "--json", "--resume", "1"],
            dir, TimeSpan.FromMinutes(1));
        connect.EnsureSuccess("tessera connect --json");
        using var report = JsonDocument.Parse(connect.Output);
        var tool = report.RootElement.GetProperty("tool");
        Assert.Equal("native-aot", tool.GetProperty("build").GetString());
        Assert.StartsWith(feed.Version, tool.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal("linux-x64", tool.GetProperty("runtime_identifier").GetString());
        var connections = report.RootElement.GetProperty("connections");
        Assert.True(connections[0].GetProperty("timings_include_first_use").GetBoolean());
        Assert.Contains("one-time initialisation", connections[0].GetProperty("first_use").GetString());
        Assert.DoesNotContain("JIT", connections[0].GetProperty("first_use").GetString());
        Assert.True(connections[1].GetProperty("resumed").GetBoolean());
        Assert.False(connections[1].GetProperty("timings_include_first_use").GetBoolean());
    }

    /// <summary>The folder feed beside the machine's own sources, as a user adds a local feed.</summary>
    private void WriteNuGetConfig(string dir) => File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="tessera-local" value="{feed.Feed}" />
          </packageSources>
        </configuration>
        """);

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static XDocument Nuspec(ZipArchive package) =>
        XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());

    private static string Metadata(XDocument nuspec, string name) =>
        nuspec.Descendants().Single(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "metadata").Value;
}
