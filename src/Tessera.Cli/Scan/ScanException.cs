using Tessera.Cli.Cli;

namespace Tessera.Cli.Scan;

/// <summary>A scan that cannot start: the name does not resolve, nothing listens, or nothing there speaks TLS.</summary>
internal sealed class ScanException(string message, int exitCode = ExitCodes.ConnectionFailed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
