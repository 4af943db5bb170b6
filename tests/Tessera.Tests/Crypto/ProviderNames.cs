using Tessera.Crypto;
using Xunit;

namespace Tessera.Tests.Crypto;

/// <summary>The providers a provider test runs under: portable always, native where libcrypto 3 loads (always on Linux, which X25519ProviderTests asserts).</summary>
internal static class ProviderNames
{
    public static string[] All => CryptoProvider.IsNativeAvailable ? ["portable", "native"] : ["portable"];

    /// <summary>The provider to cross-check <paramref name="name"/> against (itself when only portable exists).</summary>
    public static CryptoProvider Other(string name) =>
        name == "native" || !CryptoProvider.IsNativeAvailable ? CryptoProvider.Portable : CryptoProvider.Native;

    /// <summary>Every provider with every one of <paramref name="values"/>.</summary>
    public static TheoryData<string, T> With<T>(params T[] values)
    {
        var data = new TheoryData<string, T>();
        foreach (var provider in All)
            foreach (var value in values)
                data.Add(provider, value);
        return data;
    }
}
