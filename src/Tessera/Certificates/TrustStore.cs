using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Certificates;

/// <summary>
/// A set of trusted root certificates, parsed once and shared by every connection that uses it.
/// </summary>
public sealed class TrustStore
{
    private static readonly Lazy<TrustStore> SystemStore = new(LoadSystem, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Trusts exactly <paramref name="roots"/>. The store keeps copies (public parts only), so the caller may dispose its
    /// certificates afterwards: the roots are first read by a handshake, long after a caller would think it was done.
    /// </summary>
    /// <param name="roots">The trust anchors.</param>
    /// <param name="description">Where they came from, for error messages ("not trusted by …").</param>
    public TrustStore(IEnumerable<X509Certificate2> roots, string description) : this(description, Copies(roots))
    {
    }

    /// <summary>A store over certificates it owns (loaded by the store itself from files, so no copy is needed).</summary>
    private TrustStore(string description, X509Certificate2Collection owned)
    {
        Roots = owned;
        Description = description;
    }

    private static X509Certificate2Collection Copies(IEnumerable<X509Certificate2> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var copies = new X509Certificate2Collection();
        foreach (var r in roots) copies.Add(X509CertificateLoader.LoadCertificate(r.RawData));
        return copies;
    }

    /// <summary>The trust anchors.</summary>
    public X509Certificate2Collection Roots { get; }
    /// <summary>Where the roots came from, as error messages name it.</summary>
    public string Description { get; }

    private Dictionary<byte[], List<ParsedCertificate>>? _bySubject;

    /// <summary>
    /// The roots parsed once (unparseable ones skipped), indexed by subject name (DER), shared by every handshake; looked
    /// up by span, so a handshake allocates nothing to ask.
    /// </summary>
    private Dictionary<byte[], List<ParsedCertificate>> Index => Volatile.Read(ref _bySubject) ?? BuildIndex();

    private Dictionary<byte[], List<ParsedCertificate>> BuildIndex()
    {
        var index = new Dictionary<byte[], List<ParsedCertificate>>(DerBytesComparer.Instance);
        foreach (var root in Roots)
        {
            ParsedCertificate parsed;
            try
            {
                parsed = ParsedCertificate.Parse(root);
            }
            catch (TlsException)
            {
                continue;   // a malformed entry in a system bundle must not disable the others
            }
            var key = parsed.SubjectName.ToArray();
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            list.Add(parsed);
        }
        return Interlocked.CompareExchange(ref _bySubject, index, null) ?? index;
    }

    /// <summary>Roots whose subject is exactly <paramref name="name"/> (DER).</summary>
    internal IReadOnlyList<ParsedCertificate> BySubject(ReadOnlySpan<byte> name) =>
        Index.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(name, out var list) ? list : [];

    /// <summary>
    /// True when <paramref name="certificate"/> is a trust anchor: a root with the same subject and the same key
    /// (RFC 5280 §6.1.1 (d): an anchor is a name and a key, so a re-issued root is still the anchor).
    /// </summary>
    internal bool Contains(ParsedCertificate certificate)
    {
        foreach (var root in BySubject(certificate.SubjectName.Span).Each())
            if (root.SubjectPublicKeyInfo.Span.SequenceEqual(certificate.SubjectPublicKeyInfo.Span)) return true;
        return false;
    }

    /// <summary>
    /// The operating system's bundle: SSL_CERT_FILE / SSL_CERT_DIR when set (as OpenSSL honours them), else
    /// /etc/ssl/certs/ca-certificates.crt. Read once per process.
    /// </summary>
    public static TrustStore System => SystemStore.Value;

    /// <summary>Trusts the given roots.</summary>
    public static TrustStore FromCertificates(params X509Certificate2[] roots) => new(roots, $"{roots.Length} configured root(s)");

    /// <summary>Trusts every certificate in a PEM file.</summary>
    public static TrustStore FromPemFile(string path)
    {
        var c = new X509Certificate2Collection();
        c.ImportFromPemFile(path);
        return new TrustStore(path, c);
    }

    /// <summary>Trusts every certificate in the PEM files of a folder.</summary>
    public static TrustStore FromPemDirectory(string directory)
    {
        var c = new X509Certificate2Collection();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (!(file.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".crt", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(file).Contains('.'))) continue;
            try
            {
                c.ImportFromPemFile(file);
            }
            catch (CryptographicException)
            {
                // A directory like /etc/ssl/certs holds other files too (hash links, keys); only certificates count.
            }
        }
        return new TrustStore(directory, c);
    }

    private static TrustStore LoadSystem()
    {
        var file = Environment.GetEnvironmentVariable("SSL_CERT_FILE");
        if (!string.IsNullOrEmpty(file) && File.Exists(file)) return FromPemFile(file);
        var dir = Environment.GetEnvironmentVariable("SSL_CERT_DIR");
        if (!string.IsNullOrEmpty(dir) && Directory.Exists(dir)) return FromPemDirectory(dir);
        foreach (var candidate in new[] { "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem" })
            if (File.Exists(candidate)) return FromPemFile(candidate);
        return new TrustStore([], "an empty system trust store (no CA bundle found)");
    }
}
