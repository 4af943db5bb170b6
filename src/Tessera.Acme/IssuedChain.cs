using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tessera.Pki;

namespace Tessera.Acme;

/// <summary>
/// The chain a CA returned, checked before anyone serves it: PEM certificates only, a leaf that names exactly the
/// identifiers ordered (no more, no fewer) and carries the key the CSR was signed with.
/// </summary>
internal static class IssuedChain
{
    public static AcmeCertificate Check(AcmeResponse response, Uri url, List<AcmeIdentifierDocument> ordered, CaKey key)
    {
        var pem = Encoding.ASCII.GetString(response.Body);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new AcmeException(AcmeFailure.Protocol, $"the certificate at {url} is not a PEM certificate chain", e);
        }
        if (chain.Count == 0) throw new AcmeException(AcmeFailure.Protocol, $"the certificate at {url} holds no certificate");
        var leaf = chain[0];

        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var extension in leaf.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san) continue;
            foreach (var dns in san.EnumerateDnsNames()) named.Add("dns:" + dns.TrimEnd('.'));
            foreach (var ip in san.EnumerateIPAddresses()) named.Add("ip:" + ip);
        }
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ordered) wanted.Add(id.Type + ":" + id.Value);
        if (!named.SetEquals(wanted))
            throw new AcmeException(AcmeFailure.Protocol,
                $"the CA returned a certificate for {Describe(named)}, not for {Describe(wanted)} as ordered; it is not used");
        if (!leaf.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(key.PublicKey.EncodedKeyValue.RawData))
            throw new AcmeException(AcmeFailure.Protocol, "the CA returned a certificate for another key than the one the request was signed with; it is not used");

        var normalized = new StringBuilder();
        foreach (var c in chain) normalized.Append(c.ExportCertificatePem()).Append('\n');
        foreach (var c in chain)
            if (!ReferenceEquals(c, leaf)) c.Dispose();
        return new AcmeCertificate(normalized.ToString(), leaf, url, response.AlternateLinks);
    }

    private static string Describe(HashSet<string> names)
    {
        var list = new List<string>(names);
        list.Sort(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++) list[i] = UntrustedText.Clean(list[i][(list[i].IndexOf(':') + 1)..], 100);
        return list.Count == 0 ? "no name" : string.Join(", ", list);
    }
}
