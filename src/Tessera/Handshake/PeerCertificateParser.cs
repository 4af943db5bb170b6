using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Handshake;

/// <summary>Turns the DER entries of a Certificate message into X509Certificate2s; an unparseable one is bad_certificate.</summary>
internal static class PeerCertificateParser
{
    public static List<X509Certificate2> Parse(CertificateMessage message)
    {
        var list = new List<X509Certificate2>(message.Entries.Count);
        for (var i = 0; i < message.Entries.Count; i++)
        {
            try
            {
                list.Add(X509CertificateLoader.LoadCertificate(message.Entries[i].CertData));
            }
            catch (CryptographicException e)
            {
                throw new TlsException(AlertDescription.BadCertificate, $"certificate {i} in the peer's chain is not valid DER X.509: {e.Message}", false, e);
            }
        }
        return list;
    }
}
