namespace Tessera.Pki;

/// <summary>What went wrong in a <see cref="PkiException"/>: the caller's input, or the CA's files.</summary>
public enum PkiFailure
{
    /// <summary>The request makes no sense (no names, a serial the CA never issued, a lifetime out of range).</summary>
    InvalidRequest,
    /// <summary>A file of the CA is missing, unreadable, not what it should be, or would be overwritten.</summary>
    Files,
}

/// <summary>A certificate authority operation failed; the message is one sentence naming the file, serial or name.</summary>
/// <param name="failure">Whether the input or the files are at fault.</param>
/// <param name="message">The sentence.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class PkiException(PkiFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether the input or the files are at fault.</summary>
    public PkiFailure Failure { get; } = failure;
}
