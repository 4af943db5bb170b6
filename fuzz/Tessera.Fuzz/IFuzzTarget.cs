namespace Tessera.Fuzz;

/// <summary>
/// One fuzz target: takes any bytes and must return normally or throw only what its API promises (for the protocol
/// paths <see cref="TlsException"/>). Anything else that escapes is a finding; so is a hang or unbounded allocation,
/// which afl-fuzz sees as a timeout or the memory limit.
/// </summary>
internal interface IFuzzTarget
{
    string Name { get; }

    /// <summary>What the target reaches, for `tessera-fuzz --list` and the docs.</summary>
    string Description { get; }

    void Run(byte[] input);
}
