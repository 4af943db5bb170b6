using Tessera.Certificates;
using Tessera.Proxy.Hosting;

namespace Tessera.Cli.Cli;

/// <summary>Reading the files commands are pointed at, with one-sentence errors (exit code 6) instead of stack traces.</summary>
internal static class Files
{
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Trusted roots from a PEM file or folder, through the proxy library's loader (the same sentences as a proxy site's ClientCa).</summary>
    public static TrustStore Trust(string path) => FileError(() => CredentialFiles.Trust(path));

    /// <summary>A certificate chain and its key, through the proxy library's loader (the same sentences as a proxy site's).</summary>
    public static TlsCredential Credential(string certificate, string key) => FileError(() => CredentialFiles.Credential(certificate, key));

    /// <summary>A CRL from a file, PEM or DER (what `ca crl` writes, or what a CA serves).</summary>
    public static CertificateRevocationList Crl(string path)
    {
        var bytes = Read(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        try
        {
            return text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal) ? CertificateRevocationList.FromPem(text) : CertificateRevocationList.Parse(bytes);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new CliException(ExitCodes.FileError, $"{path} is not a CRL: {e.Message}", e);
        }
    }

    private static T FileError<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (ProxyHostException e)
        {
            throw new CliException(ExitCodes.FileError, e.Message, e);
        }
    }

    /// <summary>Writes a file that must not be overwritten by accident; private keys get owner-only permissions.</summary>
    /// <remarks>Atomically, through the CA library's writer: a key is never seen half-written or readable by others.</remarks>
    public static void Write(string path, string content, bool force, bool secret = false)
    {
        try
        {
            Tessera.Pki.PkiFiles.Write(path, content, force, secret);
        }
        catch (Tessera.Pki.PkiException e)
        {
            throw new CliException(ExitCodes.For(e.Failure), e.Message, e);
        }
    }
}
