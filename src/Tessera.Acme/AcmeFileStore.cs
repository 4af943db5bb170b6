using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Pki;

namespace Tessera.Acme;

/// <summary>An account as stored: its URL, key and contact, for one directory.</summary>
/// <param name="Url">The account URL.</param>
/// <param name="KeyPem">The account key (PKCS#8 PEM).</param>
/// <param name="Contact">The contact URLs.</param>
public sealed record StoredAccount(Uri Url, string KeyPem, IReadOnlyList<string> Contact);

/// <summary>A certificate as stored: the chain and its key as one pair, with what it was ordered for.</summary>
/// <param name="Names">The names ordered (the first names the certificate in the store).</param>
/// <param name="ChainPem">Leaf, then intermediates.</param>
/// <param name="KeyPem">The certificate's key (PKCS#8 PEM).</param>
/// <param name="KeyType">The key type ("ec256", "rsa2048"…), reused on renewal.</param>
/// <param name="Profile">The certificate profile it was ordered with (null: the CA's default), reused on renewal.</param>
/// <param name="Url">The certificate URL at the CA.</param>
public sealed record StoredCertificate(IReadOnlyList<string> Names, string ChainPem, string KeyPem, string KeyType, Uri? Url, string? Profile = null);

/// <summary>
/// Where ACME state lives (accounts and certificates, per directory), as files under one folder: keys owner-only, every
/// file replaced atomically (write, fsync, rename: <see cref="PkiFiles"/>), and a certificate with its key in one
/// file, so a reader never sees a new certificate with an old key. Layout:
/// <c>ROOT/DIRECTORY/account.key|account.json</c> and <c>ROOT/DIRECTORY/certificates/NAME/pair.pem|order.json</c>,
/// DIRECTORY being the directory URL's host, port and path made into one safe folder name.
/// </summary>
public sealed class AcmeFileStore(string root) : IAcmeStore
{
    /// <summary>The folder everything is under.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The account stored for <paramref name="directory"/>, or null.</summary>
    public StoredAccount? LoadAccount(Uri directory)
    {
        var folder = DirectoryFolder(directory);
        var json = Path.Combine(folder, "account.json");
        var key = Path.Combine(folder, "account.key");
        if (!File.Exists(json) || !File.Exists(key)) return null;
        var meta = Read(json, AcmeStoreJsonContext.Default.AccountFile);
        return new StoredAccount(new Uri(meta.Url), File.ReadAllText(key), meta.Contact ?? []);
    }

    /// <summary>Stores the account for <paramref name="directory"/> (replacing one stored before).</summary>
    public void SaveAccount(Uri directory, StoredAccount account)
    {
        var folder = DirectoryFolder(directory);
        PkiFiles.Write(Path.Combine(folder, "account.key"), account.KeyPem, force: true, secret: true);
        PkiFiles.Write(Path.Combine(folder, "account.json"),
            JsonSerializer.Serialize(new AccountFile { Url = account.Url.AbsoluteUri, Directory = directory.AbsoluteUri, Contact = [.. account.Contact] }, AcmeStoreJsonContext.Default.AccountFile) + "\n",
            force: true);
    }

    /// <summary>The certificate stored under <paramref name="name"/> (its first name) for <paramref name="directory"/>, or null.</summary>
    public StoredCertificate? LoadCertificate(Uri directory, string name)
    {
        var folder = CertificateFolder(directory, name);
        var pair = Path.Combine(folder, "pair.pem");
        var json = Path.Combine(folder, "order.json");
        if (!File.Exists(pair) || !File.Exists(json)) return null;
        var meta = Read(json, AcmeStoreJsonContext.Default.CertificateFile);
        var (chain, key) = Split(File.ReadAllText(pair));
        return new StoredCertificate(meta.Names, chain, key, meta.KeyType, meta.Url is { } u ? new Uri(u) : null, meta.Profile);
    }

    /// <summary>The certificates stored for <paramref name="directory"/>, by first name.</summary>
    public IReadOnlyList<StoredCertificate> ListCertificates(Uri directory)
    {
        var result = new List<StoredCertificate>();
        var folder = Path.Combine(DirectoryFolder(directory), "certificates");
        if (!Directory.Exists(folder)) return result;
        var names = Directory.GetDirectories(folder);
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var d in names)
            if (LoadCertificate(directory, Path.GetFileName(d).Replace('_', '*')) is { } stored) result.Add(stored);
        return result;
    }

    /// <summary>Stores a certificate under its first name: the chain and key as one owner-only file, written atomically.</summary>
    public void SaveCertificate(Uri directory, StoredCertificate certificate)
    {
        var folder = CertificateFolder(directory, certificate.Names[0]);
        PkiFiles.Write(Path.Combine(folder, "pair.pem"), certificate.ChainPem.TrimEnd() + "\n" + certificate.KeyPem.TrimEnd() + "\n", force: true, secret: true);
        PkiFiles.Write(Path.Combine(folder, "order.json"),
            JsonSerializer.Serialize(new CertificateFile { Names = [.. certificate.Names], KeyType = certificate.KeyType, Url = certificate.Url?.AbsoluteUri, Profile = certificate.Profile }, AcmeStoreJsonContext.Default.CertificateFile) + "\n",
            force: true);
    }

    /// <summary>The folder of one directory URL: host, port and path, with anything but letters, digits, '.' and '-' made '_'.</summary>
    public string DirectoryFolder(Uri directory) => Path.Combine(Root, Safe($"{directory.Host}_{directory.Port}{directory.AbsolutePath}"));

    private string CertificateFolder(Uri directory, string name) =>
        Path.Combine(DirectoryFolder(directory), "certificates", Safe(name.Replace('*', '_')));

    private static string Safe(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.TrimEnd('/')) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        var safe = sb.ToString().Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }

    private static (string Chain, string Key) Split(string pair)
    {
        var at = pair.IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal);
        if (at < 0) throw new AcmeException(AcmeFailure.Configuration, "a stored certificate pair has no private key");
        return (pair[..at], pair[at..]);
    }

    private static T Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new AcmeException(AcmeFailure.Configuration, $"{path} is not what Tessera wrote there: {e.Message}", e);
        }
    }
}

internal sealed record AccountFile
{
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("directory")] public string? Directory { get; init; }
    [JsonPropertyName("contact")] public List<string>? Contact { get; init; }
}

internal sealed record CertificateFile
{
    [JsonPropertyName("names")] public required List<string> Names { get; init; }
    [JsonPropertyName("keyType")] public required string KeyType { get; init; }
    [JsonPropertyName("profile")] public string? Profile { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountFile))]
[JsonSerializable(typeof(CertificateFile))]
internal sealed partial class AcmeStoreJsonContext : JsonSerializerContext;
