using System.Security.Cryptography;
using Tessera.Crypto;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>
/// The transcript hash under every provider: the hash so far equals a one-shot hash of everything appended, reading it
/// does not end the run, a clone goes on independently, and each SHA-2 size has its length.
/// </summary>
public sealed class TranscriptHashProviderTests
{
    public static TheoryData<string, string> ProvidersAndHashes() => ProviderNames.With("SHA256", "SHA384", "SHA512");

    private static byte[] OneShot(HashAlgorithmName hash, byte[] data) =>
        hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : SHA512.HashData(data);

    [Theory]
    [MemberData(nameof(ProvidersAndHashes))]
    public void The_Running_Hash_Matches_A_OneShot_Hash_And_Forks_Independently(string provider, string name)
    {
        var hash = new HashAlgorithmName(name);
        using var transcript = CryptoProvider.FromEnvironment(provider).CreateTranscriptHash(hash);
        var first = new byte[300];
        var second = new byte[5000];
        new Random(3).NextBytes(first);
        new Random(4).NextBytes(second);
        var output = new byte[transcript.Length];
        Assert.Equal(OneShot(hash, []).Length, transcript.Length);

        transcript.GetCurrentHash(output);
        Assert.Equal(OneShot(hash, []), output);
        transcript.Append(first);
        transcript.GetCurrentHash(output);
        transcript.GetCurrentHash(output);   // reading twice changes nothing
        Assert.Equal(OneShot(hash, first), output);

        using var fork = transcript.Clone();
        fork.Append([1, 2, 3]);
        transcript.Append(second);
        transcript.GetCurrentHash(output);
        Assert.Equal(OneShot(hash, [.. first, .. second]), output);
        fork.GetCurrentHash(output);
        Assert.Equal(OneShot(hash, [.. first, 1, 2, 3]), output);

        Assert.ThrowsAny<Exception>(() => transcript.GetCurrentHash(new byte[transcript.Length - 1]));
    }
}
