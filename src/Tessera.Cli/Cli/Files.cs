using System.Security.Cryptography;
using Tessera.Certificates;

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

    public static TrustStore Trust(string path)
    {
        try
        {
            var store = Directory.Exists(path) ? TrustStore.FromPemDirectory(path) : TrustStore.FromPemFile(path);
            if (store.Roots.Count == 0) throw new CliException(ExitCodes.FileError, $"{path} holds no certificate");
            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot load trusted roots from {path}: {e.Message}", e);
        }
    }

    public static TlsCredential Credential(string certificate, string key)
    {
        try
        {
            return TlsCredential.FromPemFiles(certificate, key);
        }
        catch (ArgumentException e)
        {
            // TlsCredential refuses a key that is not the certificate's; say which files, not which parameter.
            throw new CliException(ExitCodes.FileError, $"cannot load the certificate {certificate} with key {key}: the key in {key} does not belong to the certificate in {certificate}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot load the certificate {certificate} with key {key}: {e.Message}", e);
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
