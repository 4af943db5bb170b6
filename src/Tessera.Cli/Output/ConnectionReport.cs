namespace Tessera.Cli.Output;

/// <summary>
/// One connection as the inspector reports it: the connection (trace, parameters, chain) and its timings.
/// <paramref name="FirstInProcess"/>: the process's first handshake, whose timings include one-time costs (see <see cref="ToolBuild.FirstUseCosts"/>).
/// </summary>
internal sealed record ConnectionReport(TlsConnection Connection, TimeSpan TcpConnect, TimeSpan? ServerHello, TimeSpan HandshakeComplete, DateTimeOffset At, long Started,
    bool FirstInProcess);
