using System.Security.Cryptography;
using StackExchange.Redis;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Redis.Tests.Support;
using Tessera.Resumption;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Redis.Tests;

/// <summary>
/// Two "instances" (each its own Redis connection and TLS server options) sharing one redis-server started by the test:
/// sessions resume across them, a 0-RTT flight accepted by one is refused early data by the other, and with Redis
/// gone handshakes go on (full, without early data) until it returns.
/// </summary>
public sealed class RedisStoresTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly Tessera.Pki.CertificateIssuer _issuer = Tessera.Pki.CertificateIssuer.CreateRoot("Redis Test Root", Tessera.Pki.KeyType.EcdsaP256, DateTimeOffset.UtcNow.AddYears(1));
    private readonly TlsCredential _credential;
    private readonly byte[] _sealingKey = RandomNumberGenerator.GetBytes(32);

    public RedisStoresTests()
    {
        using var leaf = _issuer.Issue(["localhost"], client: false, DateTimeOffset.UtcNow.AddDays(90), Tessera.Pki.KeyType.EcdsaP256);
        _credential = leaf.ToCredential();
    }

    private RedisState Instance() => RedisState.Connect(_redis.Address, sealingKey: _sealingKey);

    private TlsClientOptions Client(ProtocolVersion max = ProtocolVersion.Tls13) => new() { TrustStore = TrustStore.FromCertificates(_issuer.Certificate), MaxVersion = max };

    [Fact]
    public void A_Tls12_Session_Made_On_One_Instance_Resumes_On_Another()
    {
        using var a = Instance();
        using var b = Instance();
        // Session IDs, not tickets: the session cache is what is shared here.
        TlsServerOptions Server(RedisState r) => new() { Certificates = [_credential], TicketProtector = null, SessionIdCache = new RedisSessionStore(r) };
        var client = Client(ProtocolVersion.Tls12);
        Handshake(client, Server(a));
        var resumed = Handshake(client, Server(b));
        Assert.True(resumed.WasResumed, "the session from instance A resumed on instance B");
        // Single use: the same session ID is not found twice.
        Assert.False(Handshake(Client(ProtocolVersion.Tls12), Server(a)).WasResumed);
    }

    [Fact]
    public void A_Ticket_Is_Redeemed_For_Early_Data_Once_Across_The_Fleet()
    {
        using var a = Instance();
        using var b = Instance();
        var ticketKeys = new TicketKeyRing();   // shared ticket keys (in one process here; the Redis key ring is for the fleet)
        TlsServerOptions Server(RedisState r) => new() { Certificates = [_credential], TicketProtector = ticketKeys, AntiReplay = new RedisAntiReplayStore(r), MaxEarlyData = 1024 };
        var client = Client();
        Handshake(client, Server(a));

        // The client's first flight with early data: accepted by A, then replayed as it is to B.
        var early = TlsConnection.CreateClient(client, "localhost", "GET / once"u8);
        var flight = Pump.Drain(early);
        var atA = TlsConnection.CreateServer(Server(a));
        atA.ReceiveTls(flight);
        Assert.True(atA.EarlyDataAccepted);
        var atB = TlsConnection.CreateServer(Server(b));
        atB.ReceiveTls(flight);
        Assert.NotEqual(true, atB.EarlyDataAccepted);
    }

    [Fact]
    public async Task With_Redis_Gone_Handshakes_Go_On_Without_Resumption_Or_Early_Data_And_Both_Return_With_It()
    {
        using var a = Instance();
        var changes = new List<string?>();
        a.Changed += (_, why) => { lock (changes) changes.Add(why); };
        var sessions = new RedisSessionStore(a);
        var replay = new RedisAntiReplayStore(a);
        var server = new TlsServerOptions { Certificates = [_credential], TicketProtector = null, SessionIdCache = sessions };

        await _redis.StopAsync();
        var client = Client(ProtocolVersion.Tls12);
        Assert.False(Handshake(client, server).WasResumed);   // full handshake, no failure; the session could not be stored
        Assert.False(Handshake(client, server).WasResumed);
        Assert.False(replay.TryUse([1, 2, 3], DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow));   // no early data rather than a risk
        Assert.False(a.IsAvailable);
        lock (changes) Assert.Single(changes);   // said once, however many operations failed

        await _redis.StartAsync();
        await WaitAsync(() => Answers(a));
        // Resumption is back with Redis: a session stored by one handshake resumes the next. Polled (bounded by
        // WaitAsync's 15 s) because the first write after the reconnect can land after the next lookup when the
        // machine is loaded (seen once in a full CI run; the store does not wait for Redis on the handshake path).
        await WaitAsync(() =>
        {
            Handshake(client, server);
            return Handshake(client, server).WasResumed;
        });
        Assert.True(replay.TryUse([1, 2, 3], DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow));
        Assert.True(a.IsAvailable);
        lock (changes) Assert.Equal([changes[0], null], changes);
    }

    [Fact]
    public void Session_State_Is_Sealed_In_Redis_And_Does_Not_Open_Under_Another_Key()
    {
        using var a = Instance();
        using var stranger = RedisState.Connect(_redis.Address, sealingKey: RandomNumberGenerator.GetBytes(32));
        var state = RandomNumberGenerator.GetBytes(48);
        new RedisSessionStore(a).Put([9, 9], state, DateTimeOffset.UtcNow);
        var raw = (byte[]?)a.Connection.GetDatabase().StringGet(a.Prefix + "session:0909");
        Assert.NotNull(raw);
        Assert.Equal(-1, raw.AsSpan().IndexOf(state.AsSpan(0, 16)));   // not stored in the clear
        Assert.Null(new RedisSessionStore(stranger).Take([9, 9], DateTimeOffset.UtcNow));
    }

    private static TlsConnection Handshake(TlsClientOptions client, TlsServerOptions server)
    {
        var c = TlsConnection.CreateClient(client, "localhost");
        var s = TlsConnection.CreateServer(server);
        Pump.Handshake(c, s);
        return c;
    }

    /// <summary>Whether Redis answers a PING on this connection now (the multiplexer reconnects in the background).</summary>
    private static bool Answers(RedisState redis)
    {
        try
        {
            redis.Connection.GetDatabase().Ping();
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;   // not yet
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _redis.Dispose();
        _issuer.Dispose();
    }
}
