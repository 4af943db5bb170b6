using System.Security.Cryptography;
using Tessera.Certificates;

namespace Tessera.Proxy.Hosting;

/// <summary>Loads the PEM files a configuration names, with one sentence naming the files when it cannot (<see cref="ProxyHostFailure.File"/>).</summary>
public static class CredentialFiles
{
    /// <summary>A certificate chain (end-entity first) and its private key.</summary>
    public static TlsCredential Credential(string certificate, string key)
    {
        try
        {
            return TlsCredential.FromPemFiles(certificate, key);
        }
        catch (ArgumentException e)
        {
            // TlsCredential refuses a key that is not the certificate's; say which files, not which parameter.
            throw new ProxyHostException(ProxyHostFailure.File, $"cannot load the certificate {certificate} with key {key}: the key in {key} does not belong to the certificate in {certificate}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ProxyHostException(ProxyHostFailure.File, $"cannot load the certificate {certificate} with key {key}: {e.Message}", e);
        }
    }

    /// <summary>Trusted roots from a PEM file or a folder of them; a file with no certificate is refused.</summary>
    public static TrustStore Trust(string path)
    {
        try
        {
            var store = Directory.Exists(path) ? TrustStore.FromPemDirectory(path) : TrustStore.FromPemFile(path);
            if (store.Roots.Count == 0) throw new ProxyHostException(ProxyHostFailure.File, $"{path} holds no certificate");
            return store;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ProxyHostException(ProxyHostFailure.File, $"cannot load trusted roots from {path}: {e.Message}", e);
        }
    }
}
