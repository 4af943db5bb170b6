namespace Tessera.Cli.Cli;

/// <summary>A failure the command reports as one sentence on stderr with its exit code; never a stack trace.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
