using System.Buffers.Binary;
using System.Security.Cryptography;
using StackExchange.Redis;
using Tessera.Resumption;

namespace Tessera.Redis;

/// <summary>
/// Session-ticket keys shared by a fleet through Redis (the format of <see cref="TicketKeyRing"/>: key_name(16) ||
/// nonce(12) || AES-256-GCM ciphertext || tag(16)). Keys live in one Redis hash by generation, sealed with the
/// <see cref="RedisState"/>'s key when it has one. Rotation is coordinated without a leader: whichever instance first
/// sees that the next key is due publishes it with HSETNX (one wins, the others read the winner's), one lead time
/// (three refresh intervals) before it starts sealing, so every instance can open tickets sealed with it before any
/// instance issues one. A key seals for one rotation interval and keeps opening for two more, so tickets issued just
/// before a rotation resume for their lifetime when that is at most two intervals (the defaults: 12-hour rotation,
/// 1-day tickets). Instances read the hash every refresh interval; with Redis unreachable they go on with the keys
/// they have (rotation waits), and an instance that starts without Redis seals with a key of its own until Redis
/// answers (its tickets then resume only on it).
/// </summary>
public sealed class RedisTicketKeyRing : ITicketProtector, IDisposable
{
    private const int NameLength = 16;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int Kept = 3;   // the sealing key and the two before it open tickets
    private readonly RedisState _redis;
    private readonly TimeProvider _time;
    private readonly RedisKey _hash;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refreshing;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile Key[] _keys;   // newest generation first
    private readonly Key _local;

    private sealed class Key(long generation, byte[] name, byte[] secret, DateTimeOffset activates) : IDisposable
    {
        public long Generation => generation;
        public byte[] Name => name;
        public DateTimeOffset Activates => activates;
        public AesGcm Aead { get; } = new(secret, TagLength);

        public byte[] Encode()
        {
            var value = new byte[NameLength + KeyLength + 8];
            name.CopyTo(value, 0);
            secret.CopyTo(value, NameLength);
            BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(NameLength + KeyLength), activates.ToUnixTimeMilliseconds());
            return value;
        }

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(secret);
            lock (Aead) Aead.Dispose();
        }
    }

    /// <param name="redis">The shared connection (and sealing key for the ticket keys themselves).</param>
    /// <param name="rotationInterval">How long a key seals (default 12 hours).</param>
    /// <param name="refreshInterval">How often the keys are read from Redis (default 10 s); a new key is published three of these before it seals.</param>
    /// <param name="time">The clock (tests move it).</param>
    public RedisTicketKeyRing(RedisState redis, TimeSpan? rotationInterval = null, TimeSpan? refreshInterval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _time = time ?? TimeProvider.System;
        RotationInterval = rotationInterval ?? TimeSpan.FromHours(12);
        RefreshInterval = refreshInterval ?? TimeSpan.FromSeconds(10);
        if (RefreshInterval <= TimeSpan.Zero || RotationInterval <= RefreshInterval * 3)
            throw new ArgumentOutOfRangeException(nameof(rotationInterval), "the rotation interval must be more than three refresh intervals");
        _hash = redis.Prefix + "ticket-keys";
        _local = NewKey(long.MinValue, _time.GetUtcNow());
        _keys = [];
        // Once at start, waited for, so that an instance begins with the fleet's keys when Redis answers; then a
        // background loop that never blocks a thread on Redis.
        RefreshAsync().GetAwaiter().GetResult();
        _refreshing = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshInterval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RefreshAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How long a key seals.</summary>
    public TimeSpan RotationInterval { get; }

    /// <summary>How often the keys are read from Redis.</summary>
    public TimeSpan RefreshInterval { get; }

    private TimeSpan Lead => RefreshInterval * 3;

    /// <summary>The generation of the key that seals now (null: Redis has not answered yet, a local key seals).</summary>
    public long? SealingGeneration => Sealing(_time.GetUtcNow()) is { } k && !ReferenceEquals(k, _local) ? k.Generation : null;

    /// <summary>Reads the keys from Redis, publishing the next one when it is due (also run every refresh interval).</summary>
    public async Task RefreshAsync()
    {
        await _refreshGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var loaded = await LoadAsync().ConfigureAwait(false);
            if (loaded is null) return;   // Redis did not answer: keep what we have
            var newest = loaded.Count > 0 ? loaded[0] : null;
            if (newest is null || newest.Activates + RotationInterval - Lead <= now)
            {
                // The next key is due: publish it (the first ever seals at once; later ones one lead time from now at the earliest).
                var generation = newest is null ? 0 : newest.Generation + 1;
                var activates = newest is null ? now : Max(now + Lead, newest.Activates + RotationInterval);
                var next = NewKey(generation, activates);
                var field = generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var sealedKey = _redis.Seal(FieldKey(field), next.Encode());
                next.Dispose();
                await _redis.RunAsync(db => db.HashSetAsync(_hash, field, sealedKey, When.NotExists), false).ConfigureAwait(false);
                loaded = await LoadAsync().ConfigureAwait(false) ?? loaded;   // ours, or the instance's that won
                // Generations no longer kept are removed from Redis by whoever publishes.
                if (loaded.Count > Kept + 1)
                {
                    var stale = new List<RedisValue>();
                    for (var i = Kept + 1; i < loaded.Count; i++) stale.Add(loaded[i].Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await _redis.RunAsync(db => db.HashDeleteAsync(_hash, [.. stale]), 0L).ConfigureAwait(false);
                }
            }
            var previous = _keys;
            _keys = [.. loaded.Take(Kept + 1)];
            foreach (var old in previous)
                if (Array.IndexOf(_keys, old) < 0 && !ContainsName(_keys, old.Name)) old.Dispose();
            foreach (var k in loaded.Skip(Kept + 1)) k.Dispose();
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>The keys in Redis, newest generation first; null when Redis did not answer.</summary>
    private async Task<List<Key>?> LoadAsync()
    {
        var entries = await _redis.RunAsync<HashEntry[]?>(async db => await db.HashGetAllAsync(_hash).ConfigureAwait(false), null).ConfigureAwait(false);
        if (entries is null) return null;
        var current = _keys;
        var keys = new List<Key>(entries.Length);
        foreach (var e in entries)
        {
            if (!long.TryParse(e.Name.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var generation)) continue;
            var known = Array.Find(current, k => k.Generation == generation);
            if (known is not null)
            {
                keys.Add(known);
                continue;
            }
            var value = _redis.Open(FieldKey(e.Name.ToString()), (byte[])e.Value!);
            if (value is not { Length: NameLength + KeyLength + 8 }) continue;   // sealed under another key, or damaged: not ours to use
            keys.Add(new Key(generation, value[..NameLength], value[NameLength..(NameLength + KeyLength)],
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(NameLength + KeyLength)))));
            CryptographicOperations.ZeroMemory(value);
        }
        keys.Sort((x, y) => y.Generation.CompareTo(x.Generation));
        return keys;
    }

    private RedisKey FieldKey(string field) => _hash.ToString() + ":" + field;

    private static bool ContainsName(Key[] keys, byte[] name)
    {
        foreach (var k in keys) if (k.Name.AsSpan().SequenceEqual(name)) return true;
        return false;
    }

    private Key Sealing(DateTimeOffset now)
    {
        foreach (var k in _keys) if (k.Activates <= now) return k;
        return _local;
    }

    /// <inheritdoc/>
    public byte[] Protect(ReadOnlySpan<byte> state, DateTimeOffset now)
    {
        var key = Sealing(now);
        var ticket = new byte[NameLength + NonceLength + state.Length + TagLength];
        key.Name.CopyTo(ticket, 0);
        var nonce = ticket.AsSpan(NameLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        lock (key.Aead) key.Aead.Encrypt(nonce, state, ticket.AsSpan(NameLength + NonceLength, state.Length), ticket.AsSpan(ticket.Length - TagLength), key.Name);
        return ticket;
    }

    /// <inheritdoc/>
    public byte[]? Unprotect(ReadOnlySpan<byte> ticket, DateTimeOffset now)
    {
        if (ticket.Length < NameLength + NonceLength + TagLength) return null;
        var name = ticket[..NameLength];
        Key? key = name.SequenceEqual(_local.Name) ? _local : null;
        if (key is null)
            foreach (var k in _keys)
                if (name.SequenceEqual(k.Name)) { key = k; break; }
        if (key is null) return null;
        var state = new byte[ticket.Length - NameLength - NonceLength - TagLength];
        try
        {
            lock (key.Aead) key.Aead.Decrypt(ticket.Slice(NameLength, NonceLength), ticket.Slice(NameLength + NonceLength, state.Length), ticket[^TagLength..], state, name);
        }
        catch (Exception e) when (e is AuthenticationTagMismatchException or ObjectDisposedException)
        {
            return null;   // tampered, or the key was just retired
        }
        return state;
    }

    private static Key NewKey(long generation, DateTimeOffset activates) =>
        new(generation, RandomNumberGenerator.GetBytes(NameLength), RandomNumberGenerator.GetBytes(KeyLength), activates);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Stops refreshing and zeroes the keys.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _refreshing.GetAwaiter().GetResult();
        foreach (var k in _keys) k.Dispose();
        _keys = [];
        _local.Dispose();
        _stop.Dispose();
        _refreshGate.Dispose();
    }
}
