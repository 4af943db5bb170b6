using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;
using Tessera.Acme;

namespace Tessera.Redis;

/// <summary>
/// A fleet's ACME state in Redis, as Caddy keeps its certificates in shared storage: the account and each
/// certificate with its key (sealed with the fleet key, like sessions), a lock per certificate so one instance orders
/// while the others wait, and the challenge answers any instance may be asked for. The lock is fenced: taking it
/// increments a counter whose value is the holder's token, and a certificate is saved only while that token still
/// holds the lock (one Lua script), so an instance whose lock expired during a slow order cannot overwrite the work of
/// the one that took over. Every operation answers "unavailable" rather than throwing when Redis does not answer
/// (<see cref="RedisState"/>): callers keep what they serve and try later.
/// </summary>
public sealed class RedisAcmeStore : IAcmeStore
{
    private readonly RedisState _state;

    /// <summary>The ACME state under <paramref name="state"/>'s prefix (plus "acme:").</summary>
    public RedisAcmeStore(RedisState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
    }

    /// <summary>Whether Redis answered the last operation.</summary>
    public bool IsAvailable => _state.IsAvailable;

    /// <inheritdoc/>
    public StoredAccount? LoadAccount(Uri directory)
    {
        var key = _state.Key("acme:account", Hash(directory.AbsoluteUri));
        return Read(key, RedisAcmeJsonContext.Default.AccountValue) is { } a ? new StoredAccount(new Uri(a.Url), a.KeyPem, a.Contact) : null;
    }

    /// <inheritdoc/>
    public void SaveAccount(Uri directory, StoredAccount account)
    {
        var key = _state.Key("acme:account", Hash(directory.AbsoluteUri));
        var value = new AccountValue { Url = account.Url.AbsoluteUri, KeyPem = account.KeyPem, Contact = [.. account.Contact] };
        Require(_state.Run(db => db.StringSet(key, Seal(key, value, RedisAcmeJsonContext.Default.AccountValue)), false), "save the ACME account");
    }

    /// <inheritdoc/>
    public StoredCertificate? LoadCertificate(Uri directory, string name) =>
        Read(CertificateKey(directory, name), RedisAcmeJsonContext.Default.CertificateValue) is { } c ? c.ToStored() : null;

    /// <inheritdoc/>
    public IReadOnlyList<StoredCertificate> ListCertificates(Uri directory)
    {
        var names = _state.Run(db => db.SetMembers(_state.Key("acme:names", Hash(directory.AbsoluteUri))), []);
        var result = new List<StoredCertificate>();
        foreach (var n in names)
            if (LoadCertificate(directory, n!) is { } c) result.Add(c);
        return result;
    }

    /// <inheritdoc/>
    public void SaveCertificate(Uri directory, StoredCertificate certificate)
    {
        var key = CertificateKey(directory, certificate.Names[0]);
        var value = Seal(key, CertificateValue.From(certificate), RedisAcmeJsonContext.Default.CertificateValue);
        Require(_state.Run(db =>
        {
            db.SetAdd(_state.Key("acme:names", Hash(directory.AbsoluteUri)), certificate.Names[0]);
            return db.StringSet(key, value);
        }, false), "save the certificate");
    }

    /// <summary>
    /// Saves <paramref name="certificate"/> only while <paramref name="token"/> still holds its lock (fencing); false
    /// when the lock was lost (expired and taken by another instance) or Redis did not answer.
    /// </summary>
    public bool SaveCertificateFenced(Uri directory, StoredCertificate certificate, long token)
    {
        var key = CertificateKey(directory, certificate.Names[0]);
        var value = Seal(key, CertificateValue.From(certificate), RedisAcmeJsonContext.Default.CertificateValue);
        var saved = _state.Run(db => (int)db.ScriptEvaluate(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]); redis.call('SADD', KEYS[3], ARGV[3]); return 1 else return 0 end",
            [LockKey(directory, certificate.Names[0]), key, _state.Key("acme:names", Hash(directory.AbsoluteUri))],
            [token.ToString(System.Globalization.CultureInfo.InvariantCulture), value, certificate.Names[0]]) == 1, false);
        return saved;
    }

    /// <summary>Takes the lock for the certificate named <paramref name="name"/> for <paramref name="ttl"/>: its fencing token, or null when another instance holds it or Redis did not answer.</summary>
    public long? TryLock(Uri directory, string name, TimeSpan ttl)
    {
        var lockKey = LockKey(directory, name);
        return _state.Run<long?>(db =>
        {
            var token = db.StringIncrement(_state.Key("acme:fence", Hash(directory.AbsoluteUri + " " + name)));
            return db.StringSet(lockKey, token, ttl, When.NotExists) ? token : null;
        }, null);
    }

    /// <summary>Gives the lock back if <paramref name="token"/> still holds it.</summary>
    public void Unlock(Uri directory, string name, long token) =>
        _state.Run(db => (int)db.ScriptEvaluate("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            [LockKey(directory, name)], [token.ToString(System.Globalization.CultureInfo.InvariantCulture)]), 0);

    /// <summary>Publishes a challenge answer (kind "http-01" by token, "tls-alpn-01" by SNI name) for every instance, for <paramref name="ttl"/>.</summary>
    public bool PutAnswer(string kind, string id, string keyAuthorization, string identifier, TimeSpan ttl)
    {
        var key = _state.Key("acme:answer:" + kind, Hash(id.ToLowerInvariant()));
        var value = Seal(key, new AnswerValue { KeyAuthorization = keyAuthorization, Identifier = identifier }, RedisAcmeJsonContext.Default.AnswerValue);
        return _state.Run(db => db.StringSet(key, value, ttl), false);
    }

    /// <summary>A published challenge answer: the key authorization and the identifier it is for, or null.</summary>
    public (string KeyAuthorization, string Identifier)? GetAnswer(string kind, string id) =>
        Read(_state.Key("acme:answer:" + kind, Hash(id.ToLowerInvariant())), RedisAcmeJsonContext.Default.AnswerValue) is { } a ? (a.KeyAuthorization, a.Identifier) : null;

    /// <summary>Withdraws a published challenge answer.</summary>
    public void RemoveAnswer(string kind, string id) =>
        _state.Run(db => db.KeyDelete(_state.Key("acme:answer:" + kind, Hash(id.ToLowerInvariant()))), false);

    private RedisKey CertificateKey(Uri directory, string name) => _state.Key("acme:certificate", Hash(directory.AbsoluteUri + " " + name.ToLowerInvariant()));
    private RedisKey LockKey(Uri directory, string name) => _state.Key("acme:lock", Hash(directory.AbsoluteUri + " " + name.ToLowerInvariant()));

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private byte[] Seal<T>(RedisKey key, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value, type);
        try
        {
            return _state.Seal(key, plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);   // it holds a private key
        }
    }

    private T? Read<T>(RedisKey key, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        var stored = _state.Run(db => (byte[]?)db.StringGet(key), null);
        if (stored is null || _state.Open(key, stored) is not { } plain) return null;
        try
        {
            return JsonSerializer.Deserialize(plain, type);
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private void Require(bool done, string what)
    {
        if (!done) throw new AcmeException(AcmeFailure.Connection, $"cannot {what} in Redis: it does not answer");
    }

    internal sealed class AccountValue
    {
        public string Url { get; set; } = "";
        public string KeyPem { get; set; } = "";
        public List<string> Contact { get; set; } = [];
    }

    internal sealed class CertificateValue
    {
        public List<string> Names { get; set; } = [];
        public string ChainPem { get; set; } = "";
        public string KeyPem { get; set; } = "";
        public string KeyType { get; set; } = "";
        public string? Url { get; set; }
        public string? Profile { get; set; }

        public static CertificateValue From(StoredCertificate c) => new()
        {
            Names = [.. c.Names], ChainPem = c.ChainPem, KeyPem = c.KeyPem, KeyType = c.KeyType, Url = c.Url?.AbsoluteUri, Profile = c.Profile,
        };

        public StoredCertificate ToStored() => new(Names, ChainPem, KeyPem, KeyType, Url is null ? null : new Uri(Url), Profile);
    }

    internal sealed class AnswerValue
    {
        public string KeyAuthorization { get; set; } = "";
        public string Identifier { get; set; } = "";
    }
}

[JsonSerializable(typeof(RedisAcmeStore.AccountValue))]
[JsonSerializable(typeof(RedisAcmeStore.CertificateValue))]
[JsonSerializable(typeof(RedisAcmeStore.AnswerValue))]
internal sealed partial class RedisAcmeJsonContext : JsonSerializerContext;
