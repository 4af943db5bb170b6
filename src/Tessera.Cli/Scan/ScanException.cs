namespace Tessera.Cli.Scan;

/// <summary>A scan that cannot start: the name does not resolve, nothing listens.</summary>
internal sealed class ScanException(string message) : Exception(message);
