using System.Security.Cryptography.X509Certificates;
using Tessera.Acme.Tests.Support;
using Tessera.Certificates;
using Tessera.Interop.Tests.Support;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>
/// The client against Pebble with its default 5 % nonce rejection: an account is created and found again, and an
/// http-01 certificate is issued that Tessera's verifier and `openssl verify` accept under Pebble's root.
/// </summary>
public sealed class AcmeHttp01Tests : IClassFixture<PebbleFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly Pebble _pebble;

    public AcmeHttp01Tests(PebbleFixture fixture) => _pebble = fixture.Pebble;

    [Fact]
    public async Task An_Account_Is_Created_And_Found_Again_By_Its_Key()
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        var created = await client.CreateAccountAsync(["mailto:ops@test.example"], agreeToTerms: true).WaitAsync(Timeout);
        Assert.Equal("valid", created.Status);
        Assert.Equal(["mailto:ops@test.example"], created.Contact);

        using var again = new AcmeClient(_pebble.Directory, AcmeAccountKey.FromPem(key.ExportPem()), new AcmeClientOptions { Trust = _pebble.Trust });
        var found = await again.FindAccountAsync().WaitAsync(Timeout);
        Assert.Equal(created.Url, found.Url);

        using var stranger = new AcmeClient(_pebble.Directory, AcmeAccountKey.CreateEs256(), new AcmeClientOptions { Trust = _pebble.Trust });
        var missing = await Assert.ThrowsAsync<AcmeException>(() => stranger.FindAccountAsync().WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Refused, missing.Failure);
        Assert.Equal("urn:ietf:params:acme:error:accountDoesNotExist", missing.ProblemType);
        Assert.Contains("no account exists for this key", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("RS256")]
    public async Task Accounts_With_Es384_And_Rs256_Keys_Are_Accepted(string algorithm)
    {
        using var key = algorithm == "ES384" ? AcmeAccountKey.CreateEs384() : AcmeAccountKey.CreateRs256();
        Assert.Equal(algorithm, key.Algorithm);
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        Assert.Equal("valid", (await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout)).Status);
        Assert.Equal("valid", (await client.FindAccountAsync().WaitAsync(Timeout)).Status);
    }

    /// <summary>
    /// Pebble 2.4 (like Let's Encrypt) takes no EdDSA account keys: the refusal is the CA's badPublicKey, said in one
    /// sentence. (The EdDSA JWS itself is checked byte for byte against RFC 8037 §A.4 in JoseTests.)
    /// </summary>
    [Fact]
    public async Task An_EdDSA_Account_Key_Refused_By_The_Ca_Is_Said_So()
    {
        using var key = AcmeAccountKey.CreateEd25519();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        var e = await Assert.ThrowsAsync<AcmeException>(() => client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout));
        Assert.Equal(AcmeFailure.Protocol, e.Failure);
        Assert.Equal("urn:ietf:params:acme:error:badPublicKey", e.ProblemType);
        Assert.StartsWith("the CA refused (badPublicKey): ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Http01_Certificate_Is_Issued_For_Two_Names_And_Verifies_Under_Pebbles_Root()
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(Timeout);
        await using var responder = new StandaloneHttp01Responder(_pebble.HttpPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);

        var issued = await client.IssueAsync(["http01.test.example", "www.http01.test.example"], responder.Tokens, certificateKey).WaitAsync(Timeout);

        var names = issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["http01.test.example", "www.http01.test.example"], names);
        await IssuedChecks.VerifyUnderPebblesRootAsync(_pebble, issued, "www.http01.test.example");
    }
}

public sealed class AcmeIpIdentifierTests : IClassFixture<PebbleFixture>
{
    private readonly Pebble _pebble;

    public AcmeIpIdentifierTests(PebbleFixture fixture) => _pebble = fixture.Pebble;

    /// <summary>RFC 8738: an IP address is ordered as an "ip" identifier, validated over http-01 at that address, and issued as an iPAddress SAN.</summary>
    [Fact]
    public async Task An_Ip_Address_Is_Ordered_Validated_And_Issued_As_An_Ip_San()
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(TimeSpan.FromMinutes(2));
        await using var responder = new StandaloneHttp01Responder(_pebble.HttpPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP256);
        var issued = await client.IssueAsync(["127.0.0.1"], responder.Tokens, certificateKey).WaitAsync(TimeSpan.FromMinutes(2));
        var san = Assert.Single(issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal([System.Net.IPAddress.Loopback], san.EnumerateIPAddresses());
        Assert.Empty(san.EnumerateDnsNames());
    }
}

/// <summary>One Pebble for the tests of a class.</summary>
public sealed class PebbleFixture : IDisposable
{
    public Pebble Pebble { get; } = new();

    public void Dispose() => Pebble.Dispose();
}
