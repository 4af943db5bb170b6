using System.Xml.Linq;
using Xunit;

namespace Tessera.Packages.Tests.Support;

/// <summary>
/// Packs every package once (eng/pack.sh, the same script a maintainer runs) into a temporary folder feed, building in a
/// temporary artifacts folder so the repository's bin/ and obj/ are untouched. Restores by the tests use their own
/// NuGet packages folder: a package of the same version left in the user's cache by an earlier run must not be used.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("tessera-packages-").FullName;
    public string Feed => Path.Combine(Root, "feed");
    public string NuGetPackages => Path.Combine(Root, "nuget-packages");
    public string Repository { get; } = FindRepository();
    public string Version { get; private set; } = "";

    /// <summary>The environment every restore, build and tool install in these tests runs with.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = NuGetPackages,
    };

    public async Task InitializeAsync()
    {
        // The version is set in one place, Directory.Build.props; the fresh project asks for exactly it.
        var props = XDocument.Load(Path.Combine(Repository, "Directory.Build.props"));
        Version = props.Descendants("VersionPrefix").Single().Value.Trim();
        // At the lowest priority: the Native AOT compile takes a core for a minute or more, and the other test assemblies
        // (run in parallel by `dotnet test Tessera.sln`) have peers with timeouts of their own.
        await Command.RunAsync("nice", ["-n", "19", "bash", "eng/pack.sh", Feed, Path.Combine(Root, "artifacts")], Repository, TimeSpan.FromMinutes(15), Environment)
            .ContinueWith(t => t.Result.EnsureSuccess("eng/pack.sh"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tessera.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Tessera.sln above {AppContext.BaseDirectory}");
    }
}
