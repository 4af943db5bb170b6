using System.Security.Cryptography;
using Tessera.Redis.Tests.Support;
using Xunit;

namespace Tessera.Redis.Tests;

/// <summary>Ticket keys shared by two instances through Redis: tickets open across instances and across rotations.</summary>
public sealed class RedisTicketKeyRingTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly byte[] _sealingKey = RandomNumberGenerator.GetBytes(32);

    private RedisState Instance() => RedisState.Connect(_redis.Address, sealingKey: _sealingKey);

    [Fact]
    public void A_Ticket_Sealed_On_One_Instance_Opens_On_The_Other()
    {
        using var ra = Instance();
        using var rb = Instance();
        using var a = new RedisTicketKeyRing(ra);
        using var b = new RedisTicketKeyRing(rb);
        Assert.Equal(0, a.SealingGeneration);
        Assert.Equal(0, b.SealingGeneration);   // B found A's key rather than making its own
        var state = RandomNumberGenerator.GetBytes(100);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(state, b.Unprotect(a.Protect(state, now), now));
        Assert.Equal(state, a.Unprotect(b.Protect(state, now), now));
        var tampered = a.Protect(state, now);
        tampered[^1] ^= 1;
        Assert.Null(b.Unprotect(tampered, now));
    }

    [Fact]
    public async Task Across_Rotations_Under_Load_No_Ticket_Fails_To_Open_On_Either_Instance()
    {
        using var ra = Instance();
        using var rb = Instance();
        // Fast: a new key every 600 ms, published 3 × 50 ms ahead.
        using var a = new RedisTicketKeyRing(ra, TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(50));
        using var b = new RedisTicketKeyRing(rb, TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(50));
        var state = RandomNumberGenerator.GetBytes(64);
        var early = a.Protect(state, DateTimeOffset.UtcNow);
        var failures = 0;
        var opened = 0;
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(2.5);
        while (DateTime.UtcNow < end)
        {
            var now = DateTimeOffset.UtcNow;
            if (b.Unprotect(a.Protect(state, now), now) is null) failures++;
            if (a.Unprotect(b.Protect(state, now), now) is null) failures++;
            opened += 2;
            await Task.Delay(2);
        }
        Assert.True(a.SealingGeneration >= 3, $"rotated to generation {a.SealingGeneration} only");
        Assert.Equal(0, failures);
        Assert.True(opened > 100);
        // A ticket from four rotations ago no longer opens (keys are kept for about two intervals after they stop sealing).
        Assert.Null(b.Unprotect(early, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Without_Redis_At_Start_An_Instance_Seals_With_Its_Own_Key_And_Joins_The_Fleet_When_Redis_Answers()
    {
        await _redis.StopAsync();
        using var ra = Instance();
        using var a = new RedisTicketKeyRing(ra, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100));
        Assert.Null(a.SealingGeneration);
        var now = DateTimeOffset.UtcNow;
        var local = a.Protect([1, 2, 3], now);
        Assert.Equal([1, 2, 3], a.Unprotect(local, now));   // resumable on this instance
        await _redis.StartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (a.SealingGeneration is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the instance did not pick up a key from Redis");
            await Task.Delay(50);
        }
        using var rb = Instance();
        using var b = new RedisTicketKeyRing(rb, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100));
        now = DateTimeOffset.UtcNow;
        Assert.Equal([4, 5], b.Unprotect(a.Protect([4, 5], now), now));
        Assert.Equal([1, 2, 3], a.Unprotect(local, now));   // its own early tickets still open on it
    }

    public void Dispose() => _redis.Dispose();
}
