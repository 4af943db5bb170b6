using System.Security.Cryptography;
using StackExchange.Redis;

namespace Tessera.Redis;

/// <summary>
/// The Redis connection the stores share: StackExchange.Redis's multiplexer (which takes single servers, Cluster and
/// Sentinel addresses alike), a key prefix, a short timeout (a handshake waits on it), and an optional key that seals
/// values with AES-256-GCM so that session secrets are never stored in the clear. Tracks whether Redis answers:
/// <see cref="IsAvailable"/> turns false on the first failure and true on the next success, each change once.
/// </summary>
public sealed class RedisState : IDisposable
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[]? _sealingKey;
    private readonly AesGcm? _aead;   // made once: key setup is the costly part, and sessions are sealed per handshake
    private readonly bool _ownsConnection;
    private readonly RedisState? _root;   // a prefixed view reports availability through the state it came from
    private int _available = 1;

    /// <param name="connection">The multiplexer (kept open by the caller unless this object made it).</param>
    /// <param name="prefix">Put in front of every key, so several fleets can share one Redis (default "tessera:").</param>
    /// <param name="sealingKey">32 bytes: values are sealed with AES-256-GCM under it (the same key on every instance); null stores them as they are.</param>
    public RedisState(IConnectionMultiplexer connection, string prefix = "tessera:", ReadOnlySpan<byte> sealingKey = default)
        : this(connection, prefix, sealingKey, ownsConnection: false)
    {
    }

    private RedisState(IConnectionMultiplexer connection, string prefix, byte[]? sealingKey, bool ownsConnection)
        : this(connection, prefix, sealingKey is null ? default : sealingKey.AsSpan(), ownsConnection)
    {
    }

    private RedisState(IConnectionMultiplexer connection, string prefix, ReadOnlySpan<byte> sealingKey, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!sealingKey.IsEmpty && sealingKey.Length != 32) throw new ArgumentException("the sealing key must be 32 bytes (AES-256)", nameof(sealingKey));
        Connection = connection;
        Prefix = prefix;
        _sealingKey = sealingKey.IsEmpty ? null : sealingKey.ToArray();
        _aead = _sealingKey is null ? null : new AesGcm(_sealingKey, TagLength);
        _ownsConnection = ownsConnection;
    }

    /// <summary>
    /// Connects to <paramref name="configuration"/> (StackExchange.Redis syntax: "host:port", several hosts, Sentinel
    /// "serviceName=…", options such as "password=…"). Does not wait for Redis: an instance starts while Redis is
    /// down and uses it once it answers. Operations give up after <paramref name="timeout"/> (default 500 ms).
    /// </summary>
    public static RedisState Connect(string configuration, string prefix = "tessera:", ReadOnlySpan<byte> sealingKey = default, TimeSpan? timeout = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        var ms = (int)(timeout ?? TimeSpan.FromMilliseconds(500)).TotalMilliseconds;
        options.SyncTimeout = ms;
        options.AsyncTimeout = ms;
        options.ConnectTimeout = Math.Max(ms, 1000);
        options.ConnectRetry = 1;
        // Fail at once while disconnected instead of queueing: a handshake must not wait out a timeout per operation
        // during an outage, and a queued write (a session, a redeemed ticket) must not land minutes later.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return new RedisState(ConnectionMultiplexer.Connect(options), prefix, sealingKey, ownsConnection: true);
    }

    /// <summary>The multiplexer.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>The key prefix.</summary>
    public string Prefix { get; }

    /// <summary>Whether the last operation reached Redis.</summary>
    public bool IsAvailable => _root?.IsAvailable ?? Volatile.Read(ref _available) == 1;

    /// <summary>
    /// The same connection and sealing key under another key prefix (one per site, so sites never share sessions,
    /// tickets or redeemed tickets); availability and <see cref="Changed"/> stay this object's, so an outage is said once.
    /// </summary>
    public RedisState WithPrefix(string prefix)
    {
        var view = new RedisState(Connection, prefix, _sealingKey, ownsConnection: false, root: _root ?? this);
        return view;
    }

    private RedisState(IConnectionMultiplexer connection, string prefix, byte[]? sealingKey, bool ownsConnection, RedisState root)
        : this(connection, prefix, sealingKey, ownsConnection)
    {
        _root = root;
    }

    private void Report(string? failure)
    {
        if (_root is { } root)
        {
            root.Report(failure);
            return;
        }
        if (failure is null)
        {
            if (Interlocked.Exchange(ref _available, 1) == 0) Changed?.Invoke(this, null);
        }
        else if (Interlocked.Exchange(ref _available, 0) == 1) Changed?.Invoke(this, failure);
    }

    /// <summary>Raised once when Redis stops answering (with the reason) and once when it answers again (with null).</summary>
    public event Action<RedisState, string?>? Changed;

    internal IDatabase Database => Connection.GetDatabase();

    internal RedisKey Key(string kind, ReadOnlySpan<byte> id) => Prefix + kind + ":" + Convert.ToHexStringLower(id);

    /// <summary>Runs one Redis operation; a failure marks Redis unavailable and gives <paramref name="fallback"/>.</summary>
    internal T Run<T>(Func<IDatabase, T> operation, T fallback)
    {
        try
        {
            var result = operation(Database);
            Report(null);
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            Report(e.Message);
            return fallback;
        }
    }

    /// <summary>As <see cref="Run"/>, for work off the handshake path (no thread waits on Redis).</summary>
    internal async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, T fallback)
    {
        try
        {
            var result = await operation(Database).ConfigureAwait(false);
            Report(null);
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            Report(e.Message);
            return fallback;
        }
    }

    /// <summary>Seals <paramref name="value"/> for <paramref name="key"/> (the key is the associated data, so a value cannot be moved to another key).</summary>
    internal byte[] Seal(RedisKey key, ReadOnlySpan<byte> value)
    {
        if (_sealingKey is null) return value.ToArray();
        var sealedValue = new byte[NonceLength + value.Length + TagLength];
        RandomNumberGenerator.Fill(sealedValue.AsSpan(0, NonceLength));
        var aead = _aead!;
        lock (aead) aead.Encrypt(sealedValue.AsSpan(0, NonceLength), value, sealedValue.AsSpan(NonceLength, value.Length),
            sealedValue.AsSpan(NonceLength + value.Length), System.Text.Encoding.UTF8.GetBytes(key.ToString()));
        return sealedValue;
    }

    /// <summary>The value sealed by <see cref="Seal"/>, or null when it does not open (another key, tampered).</summary>
    internal byte[]? Open(RedisKey key, byte[] stored)
    {
        if (_sealingKey is null) return stored;
        if (stored.Length < NonceLength + TagLength) return null;
        var plain = new byte[stored.Length - NonceLength - TagLength];
        var aead = _aead!;
        try
        {
            lock (aead) aead.Decrypt(stored.AsSpan(0, NonceLength), stored.AsSpan(NonceLength, plain.Length), stored.AsSpan(NonceLength + plain.Length), plain,
                System.Text.Encoding.UTF8.GetBytes(key.ToString()));
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plain);
            return null;
        }
    }

    /// <summary>Closes the connection if this object opened it, and zeroes the sealing key.</summary>
    public void Dispose()
    {
        if (_sealingKey is not null) CryptographicOperations.ZeroMemory(_sealingKey);
        if (_aead is { } aead) lock (aead) aead.Dispose();
        if (_ownsConnection) Connection.Dispose();
    }
}
