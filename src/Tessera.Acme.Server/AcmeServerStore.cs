using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tessera.Pki;

namespace Tessera.Acme.Server;

/// <summary>
/// The server's state, kept in the CA's directory under <c>acme/</c>: one JSON file per account, order, authorization
/// and issued certificate (<c>accounts/</c>, <c>orders/</c>, <c>authz/</c>, <c>certs/</c>), each written whole through
/// <see cref="PkiFiles"/> (temporary file, fsync, rename), so a crash leaves every object either as it was or as it
/// became. Everything is read into memory at start (a private CA's objects number in the thousands, not millions) and
/// written through on each change. Two files are written by the operator's commands while the server runs and so are
/// read fresh each time they are needed: <c>ari/SERIAL.json</c> (<c>tessera ca ari advance</c>) and <c>eab.json</c>
/// (<c>tessera ca eab add</c>, owner-only: it holds MAC keys).
/// </summary>
internal sealed class AcmeServerStore
{
    private readonly Dictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountRecord> _byThumbprint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderRecord> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationRecord> _authorizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CertificateRecord> _certificates = new(StringComparer.Ordinal);

    private AcmeServerStore(string directory) => Directory = directory;

    /// <summary>The store's folder (the CA directory's <c>acme/</c>).</summary>
    public string Directory { get; }

    /// <summary>Held for every read-modify-write of the state; never across an await.</summary>
    public Lock Gate { get; } = new();

    public static string For(LocalCa ca) => Path.Combine(ca.Directory, "acme");

    /// <summary>Reads every stored object of the store in <paramref name="directory"/>.</summary>
    /// <exception cref="PkiException">A file does not read or parse.</exception>
    public static AcmeServerStore Open(string directory)
    {
        var store = new AcmeServerStore(directory);
        foreach (var a in ReadAll(directory, "accounts", ServerJsonContext.Default.AccountRecord))
        {
            store._accounts[a.Id] = a;
            store._byThumbprint[a.Thumbprint] = a;
        }
        foreach (var o in ReadAll(directory, "orders", ServerJsonContext.Default.OrderRecord)) store._orders[o.Id] = o;
        foreach (var z in ReadAll(directory, "authz", ServerJsonContext.Default.AuthorizationRecord)) store._authorizations[z.Id] = z;
        foreach (var c in ReadAll(directory, "certs", ServerJsonContext.Default.CertificateRecord)) store._certificates[c.Serial] = c;
        return store;
    }

    /// <summary>A new object identifier: 16 random bytes, base64url (unguessable, so URLs reveal nothing).</summary>
    public static string NewId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public AccountRecord? Account(string id) => _accounts.GetValueOrDefault(id);
    public AccountRecord? AccountByThumbprint(string thumbprint) => _byThumbprint.GetValueOrDefault(thumbprint);
    public OrderRecord? Order(string id) => _orders.GetValueOrDefault(id);
    public AuthorizationRecord? Authorization(string id) => _authorizations.GetValueOrDefault(id);
    public CertificateRecord? Certificate(string serial) => _certificates.GetValueOrDefault(serial);
    public IEnumerable<OrderRecord> Orders => _orders.Values;
    public IEnumerable<CertificateRecord> Certificates => _certificates.Values;
    public IEnumerable<AuthorizationRecord> Authorizations => _authorizations.Values;
    public bool EabKeyUsed(string keyId) => _accounts.Values.Any(a => a.EabKeyId == keyId);

    public void Save(AccountRecord account, string? oldThumbprint = null)
    {
        Write("accounts", account.Id, account, ServerJsonContext.Default.AccountRecord);
        if (oldThumbprint is not null) _byThumbprint.Remove(oldThumbprint);
        _accounts[account.Id] = account;
        _byThumbprint[account.Thumbprint] = account;
    }

    public void Save(OrderRecord order)
    {
        Write("orders", order.Id, order, ServerJsonContext.Default.OrderRecord);
        _orders[order.Id] = order;
    }

    public void Save(AuthorizationRecord authorization)
    {
        Write("authz", authorization.Id, authorization, ServerJsonContext.Default.AuthorizationRecord);
        _authorizations[authorization.Id] = authorization;
    }

    public void Save(CertificateRecord certificate)
    {
        Write("certs", certificate.Serial, certificate, ServerJsonContext.Default.CertificateRecord);
        _certificates[certificate.Serial] = certificate;
    }

    /// <summary>The operator's renewal window for <paramref name="serial"/>, if one was set.</summary>
    public RenewalWindowRecord? RenewalWindow(string serial)
    {
        var path = Path.Combine(Directory, "ari", serial + ".json");
        return File.Exists(path) ? Read(path, ServerJsonContext.Default.RenewalWindowRecord) : null;
    }

    /// <summary>Sets the renewal window of a certificate this server issued (the operator's command; the server reads it per request).</summary>
    /// <exception cref="PkiException">The server did not issue <paramref name="serial"/>.</exception>
    public static void SetRenewalWindow(string directory, string serial, RenewalWindowRecord window)
    {
        if (!File.Exists(Path.Combine(directory, "certs", serial + ".json")))
            throw new PkiException(PkiFailure.InvalidRequest, $"this CA's ACME server issued no certificate with serial {serial}");
        PkiFiles.Write(Path.Combine(directory, "ari", serial + ".json"), JsonSerializer.Serialize(window, ServerJsonContext.Default.RenewalWindowRecord), force: true);
    }

    /// <summary>The External Account Binding keys, read fresh (the operator adds them while the server runs).</summary>
    public static EabKeysRecord EabKeys(string directory)
    {
        var path = Path.Combine(directory, "eab.json");
        return File.Exists(path) ? Read(path, ServerJsonContext.Default.EabKeysRecord) : new EabKeysRecord();
    }

    /// <summary>Adds an External Account Binding key (256 random bits) under <paramref name="keyId"/>; returns it base64url.</summary>
    /// <exception cref="PkiException">The identifier exists or is not printable ASCII of 1 to 64 characters.</exception>
    public static string AddEabKey(string directory, string keyId)
    {
        if (keyId.Length is 0 or > 64 || keyId.Any(c => c is < '!' or > '~'))
            throw new PkiException(PkiFailure.InvalidRequest, "an EAB key identifier is 1 to 64 printable ASCII characters without spaces");
        var keys = EabKeys(directory);
        if (keys.Keys.ContainsKey(keyId)) throw new PkiException(PkiFailure.InvalidRequest, $"the EAB key identifier {keyId} exists");
        var key = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        keys.Keys[keyId] = key;
        PkiFiles.Write(Path.Combine(directory, "eab.json"), JsonSerializer.Serialize(keys, ServerJsonContext.Default.EabKeysRecord), force: true, secret: true);
        return key;
    }

    /// <summary>The certificates the server issued, from the files (for the operator's commands, without a running server).</summary>
    public static IReadOnlyList<CertificateRecord> ReadCertificates(string directory) =>
        ReadAll(directory, "certs", ServerJsonContext.Default.CertificateRecord).ToList();

    private void Write<T>(string folder, string id, T value, JsonTypeInfo<T> type) =>
        PkiFiles.Write(Path.Combine(Directory, folder, id + ".json"), JsonSerializer.Serialize(value, type), force: true);

    private static IEnumerable<T> ReadAll<T>(string directory, string folder, JsonTypeInfo<T> type)
    {
        var path = Path.Combine(directory, folder);
        if (!System.IO.Directory.Exists(path)) yield break;
        foreach (var file in System.IO.Directory.EnumerateFiles(path, "*.json")) yield return Read(file, type);
    }

    private static T Read<T>(string path, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), type) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new PkiException(PkiFailure.Files, $"cannot read the ACME server's {path}: {e.Message}", e);
        }
    }
}
