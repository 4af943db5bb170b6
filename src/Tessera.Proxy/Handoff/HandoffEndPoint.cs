using System.Net;

namespace Tessera.Proxy.Handoff;

/// <summary>
/// Where Kestrel "listens" when the proxy's own accept loop hands it connections: an in-process name, not a socket
/// address. Kestrel reports it by <see cref="ToString"/>.
/// </summary>
internal sealed class HandoffEndPoint(string name) : EndPoint
{
    public string Name => name;

    public override string ToString() => $"handoff:{name}";
}
