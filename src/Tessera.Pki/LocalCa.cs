using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
namespace Tessera.Pki;

/// <summary>
/// A certificate authority kept in a directory: root.pem/root.key (offline-style root), intermediate.pem/key (issues
/// leaves), issued.txt and revoked.txt (serial numbers), crl.pem. Keys are written owner-only; nothing is overwritten
/// without force. The dev CA that `serve` and `demo` use lives in ~/.tessera/ca (or $TESSERA_HOME/ca).
/// </summary>
public sealed class LocalCa
{
    private LocalCa(string directory) => Directory = directory;

    /// <summary>The CA's directory.</summary>
    public string Directory { get; }
    /// <summary>The root certificate (PEM): what clients trust.</summary>
    public string RootFile => Path.Combine(Directory, "root.pem");
    /// <summary>The intermediate certificate (PEM), which signs leaves and CRLs.</summary>
    public string IntermediateFile => Path.Combine(Directory, "intermediate.pem");
    private string RootKeyFile => Path.Combine(Directory, "root.key");
    private string IntermediateKeyFile => Path.Combine(Directory, "intermediate.key");
    private string RevokedFile => Path.Combine(Directory, "revoked.txt");
    private string IssuedFile => Path.Combine(Directory, "issued.txt");
    private string CrlUrlFile => Path.Combine(Directory, "crl-url.txt");
    /// <summary>The CRL (PEM) <see cref="WriteCrl"/> writes.</summary>
    public string CrlFile => Path.Combine(Directory, "crl.pem");

    /// <summary>Tessera's home: $TESSERA_HOME, or ~/.tessera.</summary>
    public static string Home =>
        Environment.GetEnvironmentVariable("TESSERA_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tessera");

    /// <summary>The development CA's directory: ca under <see cref="Home"/>.</summary>
    public static string DefaultDirectory => Path.Combine(Home, "ca");

    /// <summary>The CA in <paramref name="directory"/> (null: <see cref="DefaultDirectory"/>).</summary>
    /// <exception cref="PkiException">There is no CA there.</exception>
    public static LocalCa Open(string? directory)
    {
        var ca = new LocalCa(directory ?? DefaultDirectory);
        if (!File.Exists(ca.RootFile) || !File.Exists(ca.IntermediateKeyFile))
            throw new PkiException(PkiFailure.Files, $"no CA in {ca.Directory}; run `tessera ca init` first");
        return ca;
    }

    /// <summary>The development CA (in <see cref="DefaultDirectory"/>), created on first use.</summary>
    public static LocalCa OpenOrCreateDev() =>
        File.Exists(Path.Combine(DefaultDirectory, "root.pem")) ? Open(null) : Init(null, KeyType.EcdsaP256, "Tessera Development CA", force: false);

    /// <summary>Makes a root and an intermediate of <paramref name="keyType"/> named after <paramref name="name"/> in <paramref name="directory"/>; keys owner-only.</summary>
    /// <exception cref="PkiException">Files exist and <paramref name="force"/> is false, or cannot be written.</exception>
    public static LocalCa Init(string? directory, KeyType keyType, string name, bool force)
    {
        var ca = new LocalCa(directory ?? DefaultDirectory);
        var now = DateTimeOffset.UtcNow;
        using var root = CertificateIssuer.CreateRoot($"{name} Root", keyType, now.AddYears(10), pathLength: 1);
        using var intermediate = root.CreateIntermediate($"{name} Intermediate", keyType, now.AddYears(5), pathLength: 0);
        PkiFiles.Write(ca.RootFile, root.CertificatePem, force);
        PkiFiles.Write(ca.RootKeyFile, root.Key.ExportPem(), force, secret: true);
        PkiFiles.Write(ca.IntermediateFile, intermediate.CertificatePem, force);
        PkiFiles.Write(ca.IntermediateKeyFile, intermediate.Key.ExportPem(), force, secret: true);
        PkiFiles.Write(ca.RevokedFile, "", force: true);
        PkiFiles.Write(ca.IssuedFile, "", force: true);
        return ca;
    }

    /// <summary>Issues a leaf for DNS names, IP addresses and email addresses; returns the chain PEM (leaf, intermediate) and key PEM.</summary>
    /// <param name="names">The names, the first also the subject CN.</param>
    /// <param name="client">A client certificate (clientAuth) rather than a server one (serverAuth).</param>
    /// <param name="days">Lifetime, 1 to 3650 days (never past the intermediate's).</param>
    /// <param name="keyType">The new key's type.</param>
    public (string ChainPem, string KeyPem, X509Certificate2 Leaf) Issue(IReadOnlyList<string> names, bool client, int days, KeyType keyType)
    {
        if (names.Count == 0) throw new PkiException(PkiFailure.InvalidRequest, "name at least one DNS name, IP address or email address");
        using var issuer = LoadIntermediate();
        var issued = issuer.Issue(names, client, NotAfter(days), keyType);
        using (issued.Key)
        {
            Record(issued.Certificate);
            return (issued.CertificatePem + File.ReadAllText(IntermediateFile), issued.KeyPem, issued.Certificate);
        }
    }

    /// <summary>Signs a PKCS#10 request, keeping its key and subject but applying this CA's leaf profile.</summary>
    /// <param name="csrPem">The request (PEM).</param>
    /// <param name="extraNames">Names to add to the request's own.</param>
    /// <param name="client">A client certificate rather than a server one.</param>
    /// <param name="days">Lifetime, 1 to 3650 days.</param>
    public (string ChainPem, X509Certificate2 Leaf) SignRequest(string csrPem, IReadOnlyList<string> extraNames, bool client, int days)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException e)
        {
            throw new PkiException(PkiFailure.Files, $"not a PKCS#10 certificate request: {e.Message}", e);
        }
        var names = new List<string>(extraNames);
        foreach (var ext in request.CertificateExtensions)
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(i => i.ToString()));
            }
        // BR §7.1.4.3: a subject CN must be one of the certificate's names, so a request's CN joins the SANs (as public
        // CAs do); without any name at all, the CN is the only one.
        if (CommonName(request.SubjectName) is { Length: > 0 } cn && !names.Contains(cn, StringComparer.Ordinal)) names.Add(cn);
        if (names.Count == 0) throw new PkiException(PkiFailure.InvalidRequest, "the request has no CN and no subjectAltName; name at least one DNS name, IP address or email address");
        var clean = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        var notAfter = NotAfter(days);
        using var issuer = LoadIntermediate();
        var leaf = issuer.SignLeaf(clean, names.Distinct().ToList(), client, notAfter);
        Record(leaf);
        return (leaf.ExportCertificatePem() + "\n" + File.ReadAllText(IntermediateFile), leaf);
    }

    /// <summary>
    /// Records a certificate this CA issued as revoked, for the next CRL, with an RFC 5280 §5.3.1 reason code if given.
    /// Revoking a serial again changes nothing (the first revocation's time and reason stand): returns false then.
    /// </summary>
    /// <exception cref="PkiException">This CA never issued that serial.</exception>
    public bool Revoke(string serialHex, int? reason = null)
    {
        var serial = serialHex.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        if (!File.ReadAllLines(IssuedFile).Any(l => l.StartsWith(serial + " ", StringComparison.Ordinal)))
            throw new PkiException(PkiFailure.InvalidRequest, $"serial {serialHex} was not issued by this CA");
        if (RevokedSerials().ContainsKey(serial)) return false;
        var line = string.Create(CultureInfo.InvariantCulture, $"{serial} {DateTimeOffset.UtcNow.ToUnixTimeSeconds()}{(reason is { } r ? " " + r : "")}\n");
        File.AppendAllText(RevokedFile, line);
        return true;
    }

    /// <summary>The revoked serials (lower-case hex) with their revocation time and reason code, as the next CRL will list them.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset Time, int? Reason)> RevokedSerials()
    {
        var revoked = new Dictionary<string, (DateTimeOffset, int?)>(StringComparer.Ordinal);
        if (!File.Exists(RevokedFile)) return revoked;
        foreach (var line in File.ReadAllLines(RevokedFile))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 2 or > 3 || revoked.ContainsKey(parts[0])) continue;
            int? reason = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : null;
            revoked[parts[0]] = (DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)), reason);
        }
        return revoked;
    }

    /// <summary>
    /// The URL the CA's CRL is served at (<c>tessera ca serve</c> records its own), named as the CRL distribution point
    /// of every leaf issued from then on; null until one is set.
    /// </summary>
    public Uri? CrlUrl
    {
        get => File.Exists(CrlUrlFile) && Uri.TryCreate(File.ReadAllText(CrlUrlFile).Trim(), UriKind.Absolute, out var url) ? url : null;
        set
        {
            if (value is null) File.Delete(CrlUrlFile);
            else if (value != CrlUrl) PkiFiles.Write(CrlUrlFile, value.AbsoluteUri + "\n", force: true);
        }
    }

    /// <summary>
    /// Issues a leaf for a key a requester proved it holds (an ACME CSR, already checked): exactly
    /// <paramref name="names"/>, this CA's server profile, valid until <paramref name="notAfter"/> (never past the
    /// intermediate's), the CRL URL as distribution point. Returns the chain PEM (leaf, intermediate).
    /// </summary>
    public (string ChainPem, X509Certificate2 Leaf) IssueFor(PublicKey key, IReadOnlyList<string> names, DateTimeOffset notAfter)
    {
        if (names.Count == 0) throw new PkiException(PkiFailure.InvalidRequest, "name at least one DNS name or IP address");
        var cn = new X500DistinguishedNameBuilder();
        cn.AddCommonName(IPAddress.TryParse(names[0], out var ip) ? ip.ToString() : names[0]);
        var request = new CertificateRequest(cn.Build(), key, HashAlgorithmName.SHA256);
        using var issuer = LoadIntermediate();
        var leaf = issuer.SignLeaf(request, names, client: false, notAfter);
        Record(leaf);
        return (leaf.ExportCertificatePem() + "\n" + File.ReadAllText(IntermediateFile), leaf);
    }

    /// <summary>Writes crl.pem listing every revoked serial, signed by the intermediate, valid for <paramref name="days"/>; returns its path.</summary>
    public string WriteCrl(int days)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, (time, reason)) in RevokedSerials())
            builder.AddEntry(Convert.FromHexString(serial), time, reason is { } r ? (X509RevocationReason)r : null);
        using (var issuer = LoadIntermediate())
        {
            var number = (System.Numerics.BigInteger)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var crl = builder.Build(issuer.Certificate.SubjectName, issuer.Key.Signer, number, DateTimeOffset.UtcNow.AddDays(days), issuer.Key.Hash,
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
            PkiFiles.Write(CrlFile, PemEncoding.WriteString("X509 CRL", crl) + "\n", force: true);
        }
        return CrlFile;
    }

    private static DateTimeOffset NotAfter(int days)
    {
        if (days is < 1 or > 3650) throw new PkiException(PkiFailure.InvalidRequest, "--days must be 1..3650");
        return DateTimeOffset.UtcNow.AddDays(days);
    }

    /// <summary>issued.txt: every serial this CA issued, so a revocation can be checked against it.</summary>
    private void Record(X509Certificate2 leaf) =>
        File.AppendAllText(IssuedFile, $"{leaf.SerialNumber.ToLowerInvariant()} {leaf.Subject}\n");

    private CertificateIssuer LoadIntermediate()
    {
        try
        {
            var issuer = CertificateIssuer.FromPem(File.ReadAllText(IntermediateFile), File.ReadAllText(IntermediateKeyFile));
            issuer.CrlDistributionPoint = CrlUrl;
            return issuer;
        }
        catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException)
        {
            throw new PkiException(PkiFailure.Files, $"cannot load the intermediate CA from {Directory}: {e.Message}", e);
        }
    }

    private static string? CommonName(X500DistinguishedName subject)
    {
        string? cn = null;
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3") cn = rdn.GetSingleElementValue();
        return cn;
    }
}
