using System.Globalization;
using System.Security.Cryptography;

namespace Tessera.Resumption;

/// <summary>
/// Stateless tickets (RFC 5077 §4 style): the session state sealed with AES-256-GCM under a named key,
/// key_name(16) || nonce(12) || ciphertext || tag(16), with the key name as additional data. The current key
/// seals; the current and the previous one open, so a rotation does not break tickets issued just before it,
/// and a ticket two rotations old no longer opens. Keys can be written to and read from a file so that several
/// servers share them (whoever rotates rewrites the file; the others reload it).
/// </summary>
public sealed class TicketKeyRing : ITicketProtector
{
    private const int NameLength = 16;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly Lock _lock = new();
    private readonly RandomNumberGenerator? _random;
    private TicketKey _current;
    private TicketKey? _previous;

    /// <summary>One named key; its AES-GCM instance is made once (key setup is the costly part) and used under its own lock.</summary>
    private sealed record TicketKey(byte[] Name, byte[] Key, DateTimeOffset Created)
    {
        public AesGcm Aead { get; } = new(Key, TagLength);
    }

    /// <param name="rotationInterval">How long a key seals before it is replaced; null to rotate only when <see cref="Rotate"/> is called (shared key files).</param>
    /// <param name="now">The creation time of the first key; the current time when null (tests pass a fixed one).</param>
    /// <param name="random">The source of key names and keys; the system's cryptographic generator when null.</param>
    public TicketKeyRing(TimeSpan? rotationInterval = null, DateTimeOffset? now = null, RandomNumberGenerator? random = null)
    {
        _random = random;
        RotationInterval = rotationInterval;
        _current = NewKey(now ?? DateTimeOffset.UtcNow);
    }

    private TicketKeyRing(TicketKey current, TicketKey? previous)
    {
        _current = current;
        _previous = previous;
    }

    /// <summary>How long a key seals before the next takes over; null: no automatic rotation (only <c>Rotate</c>).</summary>
    public TimeSpan? RotationInterval { get; }

    /// <summary>The name of the key that seals now (hex), for logs and traces.</summary>
    public string CurrentKeyName { get { lock (_lock) return Convert.ToHexStringLower(_current.Name); } }

    /// <summary>Makes a new sealing key; the old one still opens until the next rotation.</summary>
    public void Rotate(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_previous is { } old)
            {
                CryptographicOperations.ZeroMemory(old.Key);
                lock (old.Aead) old.Aead.Dispose();
            }
            _previous = _current;
            _current = NewKey(now);
        }
    }

    /// <summary>Seals <paramref name="state"/> under the current key (rotating first when it is due): key name, nonce, ciphertext, tag.</summary>
    public byte[] Protect(ReadOnlySpan<byte> state, DateTimeOffset now)
    {
        TicketKey key;
        lock (_lock)
        {
            if (RotationInterval is { } interval && now - _current.Created >= interval) Rotate(now);
            key = _current;
        }
        var ticket = new byte[NameLength + NonceLength + state.Length + TagLength];
        key.Name.CopyTo(ticket, 0);
        var nonce = ticket.AsSpan(NameLength, NonceLength);
        Fill(nonce);
        lock (key.Aead) key.Aead.Encrypt(nonce, state, ticket.AsSpan(NameLength + NonceLength, state.Length), ticket.AsSpan(ticket.Length - TagLength), key.Name);
        return ticket;
    }

    /// <summary>Opens a ticket sealed under the current or the previous key; null for anything else.</summary>
    public byte[]? Unprotect(ReadOnlySpan<byte> ticket, DateTimeOffset now)
    {
        if (ticket.Length < NameLength + NonceLength + TagLength) return null;
        var name = ticket[..NameLength];
        TicketKey? key;
        lock (_lock)
        {
            key = name.SequenceEqual(_current.Name) ? _current : _previous is { } p && name.SequenceEqual(p.Name) ? p : null;
            // With automatic rotation, the previous key stops opening once a second interval has passed.
            if (key is not null && ReferenceEquals(key, _previous) && RotationInterval is { } interval && now - _current.Created >= interval) key = null;
        }
        if (key is null) return null;
        var state = new byte[ticket.Length - NameLength - NonceLength - TagLength];
        try
        {
            lock (key.Aead) key.Aead.Decrypt(ticket.Slice(NameLength, NonceLength), ticket.Slice(NameLength + NonceLength, state.Length), ticket[^TagLength..], state, name);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;   // tampered, or a colliding key name from another key set
        }
        return state;
    }

    /// <summary>Writes the current and previous keys (secret!) to <paramref name="path"/> with owner-only permissions.</summary>
    public void Save(string path)
    {
        string text;
        lock (_lock)
        {
            text = Line(_current) + (_previous is { } p ? Line(p) : "");
        }
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary>Loads keys written by <see cref="Save"/>; the first line seals. Rotation is then up to whoever owns the file.</summary>
    public static TicketKeyRing Load(string path)
    {
        var keys = new List<TicketKey>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"{path}: expected 'name key created' per line");
            var name = Convert.FromHexString(parts[0]);
            var key = Convert.FromHexString(parts[1]);
            if (name.Length != NameLength || key.Length != KeyLength) throw new FormatException($"{path}: key names are {NameLength} bytes and keys {KeyLength} bytes");
            keys.Add(new TicketKey(name, key, DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[2], CultureInfo.InvariantCulture))));
        }
        if (keys.Count == 0) throw new FormatException($"{path} holds no ticket key");
        return new TicketKeyRing(keys[0], keys.Count > 1 ? keys[1] : null);
    }

    private static string Line(TicketKey k) =>
        string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(k.Name)} {Convert.ToHexStringLower(k.Key)} {k.Created.ToUnixTimeSeconds()}\n");

    private TicketKey NewKey(DateTimeOffset now)
    {
        var name = new byte[NameLength];
        var key = new byte[KeyLength];
        Fill(name);
        Fill(key);
        return new TicketKey(name, key, now);
    }

    private void Fill(Span<byte> bytes)
    {
        if (_random is null) RandomNumberGenerator.Fill(bytes);
        else _random.GetBytes(bytes);
    }
}
