using Tessera.Acme.Tests.Support;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>
/// The client towards servers that misbehave or refuse: each failure is one sentence of the right kind, waits are
/// bounded and follow Retry-After, and nothing is retried in a tight loop.
/// </summary>
public sealed class HostileServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static AcmeClient Client(ScriptedAcmeServer server, TimeProvider? clock = null, TimeSpan? validationTimeout = null) =>
        new(server.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions
        {
            Trust = server.Trust,
            Clock = clock ?? TimeProvider.System,
            ValidationTimeout = validationTimeout ?? TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(100),
        });

    private static async Task<AcmeCertificate> IssueAsync(AcmeClient client, ScriptedAcmeServer server)
    {
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        using var key = CaKey.Create(KeyType.EcdsaP256);
        return await client.IssueAsync([server.Name], new Http01Tokens(), key).WaitAsync(Timeout);
    }

    [Fact]
    public async Task The_Scripted_Server_Issues_When_Nothing_Is_Broken()
    {
        await using var server = new ScriptedAcmeServer();
        using var client = Client(server);
        var issued = await IssueAsync(client, server);
        Assert.Equal($"CN={server.Name}", issued.Leaf.Subject);
    }

    [Fact]
    public async Task A_Directory_That_Is_Not_Json_Is_A_Protocol_Failure_Naming_It()
    {
        await using var server = new ScriptedAcmeServer { DirectoryBody = "<html><body>\u001b[31mWelcome</body></html>" };
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], true).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Protocol, e.Failure);
        Assert.Equal($"the ACME directory {server.Directory} did not answer with the JSON object ACME defines (HTTP 200, text/html, 38 bytes)", e.Message);
    }

    [Fact]
    public async Task A_Challenge_That_Never_Validates_Gives_Up_At_The_Deadline_With_A_Sentence()
    {
        await using var server = new ScriptedAcmeServer { ChallengeValidates = false };
        using var client = Client(server, validationTimeout: TimeSpan.FromSeconds(2));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<AcmeException>(() => IssueAsync(client, server));
        Assert.Equal(AcmeFailure.Timeout, e.Failure);
        Assert.Equal($"gave up waiting for http-01 validation of {server.Name} after 2 s", e.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the wait was not bounded by the validation timeout");
    }

    [Fact]
    public async Task Retry_After_On_A_Processing_Order_Is_What_The_Client_Waits()
    {
        await using var server = new ScriptedAcmeServer { ProcessingPolls = 2, ProcessingRetryAfterSeconds = 2 };
        var clock = new RecordingClock();
        using var client = Client(server, clock);
        await IssueAsync(client, server);
        // Finalize said Retry-After: 2, and so did each of the two processing polls: three waits of (about) 2 s, each
        // asked of the injected clock (which lets them pass at once), not the 100 ms poll interval; the first wait
        // (0.1 s) is the authorization's poll, for which the server gave no Retry-After.
        var long_ = clock.Delays.FindAll(d => d > TimeSpan.FromSeconds(1.5) && d <= TimeSpan.FromSeconds(2));
        Assert.True(long_.Count == 3, $"waits asked: {string.Join(", ", clock.Delays)}");
        Assert.Equal(3, server.Requests.Count(r => r == "POST /order/1" ) - 1);   // polls after the ready check
    }

    [Fact]
    public async Task A_Certificate_For_Other_Names_Is_Refused()
    {
        await using var server = new ScriptedAcmeServer { CertificateNames = ["other.test.example", "evil.test.example"] };
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<AcmeException>(() => IssueAsync(client, server));
        Assert.Equal(AcmeFailure.Protocol, e.Failure);
        Assert.StartsWith("the CA returned a certificate for ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"not for {server.Name} as ordered; it is not used", e.Message, StringComparison.Ordinal);
        Assert.Contains("for evil.test.example, other.test.example, not for", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Rate_Limit_Is_One_Sentence_With_The_Time_And_Is_Not_Retried()
    {
        await using var server = new ScriptedAcmeServer { RateLimited = true };
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<AcmeException>(() => IssueAsync(client, server));
        Assert.Equal(AcmeFailure.RateLimited, e.Failure);
        Assert.NotNull(e.RetryAfter);
        Assert.InRange(e.RetryAfter!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        // The server's detail is quoted with its control characters escaped (it carried an ANSI "clear screen").
        Assert.StartsWith("the CA refused (rateLimited): too many certificates \\u001b[2Jalready issued for test.example; the CA's rate limit was reached: try again after ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.Equal(1, server.Requests.Count(r => r == "POST /new-order"));
    }

    [Fact]
    public async Task A_Ca_With_Renewal_Info_Is_Asked_For_The_Window_And_The_Renewal_Order_Names_What_It_Replaces()
    {
        var start = DateTimeOffset.UtcNow.AddDays(20);
        await using var server = new ScriptedAcmeServer { RenewalWindow = (start, start.AddDays(2)) };
        using var client = Client(server);
        var first = await IssueAsync(client, server);
        Assert.Null(server.Replaces);

        var window = await client.GetRenewalWindowAsync(first.Leaf).WaitAsync(Timeout);
        Assert.NotNull(window);
        Assert.Equal(AriCertificateId.Of(first.Leaf), server.RenewalInfoAskedFor);
        Assert.Equal(start.ToUnixTimeSeconds(), window.Start.ToUnixTimeSeconds());
        Assert.Equal(new Uri($"https://127.0.0.1:{server.Port}/why"), window.ExplanationUrl);
        Assert.InRange(window.CheckAgainAfter!.Value, DateTimeOffset.UtcNow.AddHours(5.9), DateTimeOffset.UtcNow.AddHours(6.1));
        Assert.False(RenewalPolicy.Decide(first.Leaf.NotBefore, first.Leaf.NotAfter, window, DateTimeOffset.UtcNow, new Random(7)).RenewNow);

        using var key = CaKey.Create(KeyType.EcdsaP256);
        await client.IssueAsync([server.Name], new Http01Tokens(), key, replaces: first.Leaf).WaitAsync(Timeout);
        Assert.Equal(AriCertificateId.Of(first.Leaf), server.Replaces);
    }

    [Fact]
    public async Task A_Server_Error_Is_Retried_With_Growing_Waits_And_Reported_After_The_Last_Try()
    {
        await using var server = new ScriptedAcmeServer { NewOrderFailures = 2 };
        var clock = new RecordingClock();
        using (var client = Client(server, clock))
            await IssueAsync(client, server);
        Assert.Equal(3, server.Requests.Count(r => r == "POST /new-order"));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], clock.Delays.GetRange(0, 2));

        await using var down = new ScriptedAcmeServer { NewOrderFailures = 100 };
        using var failing = Client(down, new RecordingClock());
        var e = await Assert.ThrowsAsync<AcmeException>(() => IssueAsync(failing, down));
        Assert.Equal(AcmeFailure.Refused, e.Failure);
        Assert.Equal("the CA refused (serverInternal): the database is having a moment (after 4 attempts)", e.Message);
        Assert.Equal(4, down.Requests.Count(r => r == "POST /new-order"));
    }

    /// <summary>The system clock, except that every delay asked of it is recorded and passes at once.</summary>
    private sealed class RecordingClock : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Delays) Delays.Add(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }
}
