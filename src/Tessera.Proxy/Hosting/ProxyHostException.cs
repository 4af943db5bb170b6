namespace Tessera.Proxy.Hosting;

/// <summary>
/// Why a <see cref="ProxyHost"/> could not start or reload, as one sentence that names the file, setting or address
/// (the sentence a terminator's operator reads; never a parser's or a parameter's own text).
/// </summary>
public sealed class ProxyHostException : Exception
{
    /// <summary>A failure of <paramref name="failure"/>'s kind, said by <paramref name="message"/>.</summary>
    public ProxyHostException(ProxyHostFailure failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

    /// <summary>What kind of thing went wrong.</summary>
    public ProxyHostFailure Failure { get; }
}
