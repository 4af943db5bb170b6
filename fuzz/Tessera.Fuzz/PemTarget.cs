using System.Security.Cryptography;
using System.Text;
using Tessera.Certificates;
using Tessera.Crypto;

namespace Tessera.Fuzz;

/// <summary>
/// The PEM loaders the CLI and the proxy use on files an operator points them at: private keys (PKCS#8, PKCS#1, SEC1,
/// and the kinds .NET does not import itself), certificate + key pairs, and PEM CRLs. The input is Latin-1 text, so
/// every byte is a character. Their documented refusals: <see cref="CryptographicException"/> for keys and
/// credentials (and <see cref="ArgumentException"/> for a key that is not the certificate's), <see cref="ArgumentException"/> for CRLs.
/// </summary>
internal sealed class PemTarget : IFuzzTarget
{
    public string Name => "pem";

    public string Description => "TlsSigningKey.FromPem, TlsCredential.FromPem (chain + key split at the first NUL), CertificateRevocationList.FromPem";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var text = Encoding.Latin1.GetString(input, 1, input.Length - 1);
        switch (input[0] % 3)
        {
            case 0:
                try
                {
                    TlsSigningKey.FromPem(text);
                }
                catch (CryptographicException)
                {
                }
                break;
            case 1:
                var split = text.IndexOf('\0', StringComparison.Ordinal);
                try
                {
                    TlsCredential.FromPem(split < 0 ? text : text[..split], split < 0 ? text : text[(split + 1)..]);
                }
                catch (CryptographicException)
                {
                }
                catch (ArgumentException e) when (e.ParamName == "key")
                {
                    // The documented answer to a key that is not the certificate's.
                }
                break;
            default:
                try
                {
                    CertificateRevocationList.FromPem(text);
                }
                catch (ArgumentException)
                {
                }
                break;
        }
    }
}
