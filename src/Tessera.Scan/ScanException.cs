namespace Tessera.Scan;

/// <summary>What kind of thing stopped a scan from starting (a tool maps these to its exit codes).</summary>
public enum ScanFailure
{
    /// <summary>The name does not resolve, or nothing listens there.</summary>
    Connect,
    /// <summary>Something listens, but it accepted no SSL or TLS hello at all.</summary>
    NoTls,
}

/// <summary>A scan that cannot start: the name does not resolve, nothing listens, or nothing there speaks TLS.</summary>
public sealed class ScanException : Exception
{
    /// <summary>A failure of <paramref name="failure"/>'s kind, said by <paramref name="message"/> (one sentence naming the target).</summary>
    public ScanException(string message, ScanFailure failure = ScanFailure.Connect) : base(message) => Failure = failure;

    /// <summary>What kind of thing went wrong.</summary>
    public ScanFailure Failure { get; }
}
