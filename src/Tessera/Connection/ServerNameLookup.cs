namespace Tessera.Connection;

/// <summary>
/// How a TLS server chooses by the client's SNI, in one place for the core's certificate choice, the Kestrel adapter's
/// name map and the proxy's sites: the name itself (case-insensitive, as DNS names compare), then the wildcard one
/// label up — "*.example.com" covers "api.example.com" but neither "example.com" nor "a.b.example.com", as a wildcard
/// certificate does (RFC 9525 §6.3) — then the default.
/// </summary>
public static class ServerNameLookup
{
    /// <summary>
    /// The value <paramref name="lookup"/> finds for <paramref name="serverName"/>, else for its wildcard, else
    /// <paramref name="fallback"/>; <paramref name="fallback"/> too when the client sent no SNI.
    /// </summary>
    /// <param name="serverName">The SNI host name, or null.</param>
    /// <param name="lookup">Finds the value configured for a name or wildcard ("*.example.com"), or null.</param>
    /// <param name="fallback">The default, for no SNI or no match.</param>
    public static T? Resolve<T>(string? serverName, Func<string, T?> lookup, T? fallback = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return Resolve(serverName, lookup, static (find, name) => find(name), fallback);
    }

    /// <summary>As the public Resolve, with the lookup's state passed in: a static lookup allocates no closure.</summary>
    internal static T? Resolve<TState, T>(string? serverName, TState state, Func<TState, string, T?> lookup, T? fallback) where T : class
    {
        if (string.IsNullOrEmpty(serverName)) return fallback;
        if (lookup(state, serverName) is { } exact) return exact;
        if (WildcardFor(serverName) is { } wildcard && lookup(state, wildcard) is { } covered) return covered;
        return fallback;
    }

    /// <summary>The wildcard that covers <paramref name="serverName"/> ("*.example.com" for "api.example.com"), or null for a name of one label.</summary>
    public static string? WildcardFor(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < serverName.Length - 1 ? string.Concat("*", serverName.AsSpan(dot)) : null;
    }
}
