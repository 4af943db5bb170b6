namespace Tessera.Proxy.Hosting;

/// <summary>Something a <see cref="ProxyHost"/> wants its operator to know (OCSP fetched or failing, Redis lost or back).</summary>
/// <param name="IsWarning">True when something is wrong (serving goes on, with less).</param>
/// <param name="Message">One sentence.</param>
public readonly record struct ProxyHostEvent(bool IsWarning, string Message);
