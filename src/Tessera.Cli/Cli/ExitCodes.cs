namespace Tessera.Cli.Cli;

/// <summary>The documented exit codes of every tessera command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>`ca inspect --lint`: a certificate breaks an issuance rule (a finding, not a refusal).</summary>
    public const int LintFindings = 1;
    /// <summary>The arguments do not parse or make no sense together.</summary>
    public const int Usage = 2;
    /// <summary>TCP could not connect (refused, unreachable, name not found, timeout).</summary>
    public const int ConnectionFailed = 3;
    /// <summary>TLS failed: alert, protocol error, handshake timeout.</summary>
    public const int HandshakeFailed = 4;
    /// <summary>The peer's certificate was refused.</summary>
    public const int VerificationFailed = 5;
    /// <summary>Local files: missing, unreadable, or would be overwritten without --force.</summary>
    public const int FileError = 6;
    /// <summary>`acme`: the CA refused or could not complete the request (a problem document, a failed validation, a rate limit, a timeout).</summary>
    public const int AcmeRefused = 7;

    /// <summary>`scan --fail-below`: the server's grade is lower than the one asked for.</summary>
    public const int GradeBelow = 8;

    /// <summary>The exit code for a failure of the ACME client.</summary>
    public static int For(Tessera.Acme.AcmeFailure failure) => failure switch
    {
        Tessera.Acme.AcmeFailure.Configuration => Usage,
        Tessera.Acme.AcmeFailure.Connection => ConnectionFailed,
        _ => AcmeRefused,
    };

    /// <summary>The exit code for a failure of the CA library.</summary>
    public static int For(Tessera.Pki.PkiFailure failure) => failure == Tessera.Pki.PkiFailure.InvalidRequest ? Usage : FileError;

    /// <summary>The exit code for a failure of the proxy host.</summary>
    public static int For(Tessera.Proxy.Hosting.ProxyHostFailure failure) => failure switch
    {
        Tessera.Proxy.Hosting.ProxyHostFailure.File => FileError,
        Tessera.Proxy.Hosting.ProxyHostFailure.Listen => ConnectionFailed,
        _ => Usage,
    };
}
