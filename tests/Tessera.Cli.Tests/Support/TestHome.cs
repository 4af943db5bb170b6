namespace Tessera.Cli.Tests.Support;

/// <summary>One TESSERA_HOME for the whole test run (the dev CA lives there), never the user's ~/.tessera.</summary>
internal static class TestHome
{
    public static readonly string Path = Create();

    private static string Create()
    {
        var dir = Directory.CreateTempSubdirectory("tessera-cli-home-").FullName;
        Environment.SetEnvironmentVariable("TESSERA_HOME", dir);
        return dir;
    }

    public static void Ensure() => _ = Path;

    public static string DevRoot => System.IO.Path.Combine(Path, "ca", "root.pem");
}
