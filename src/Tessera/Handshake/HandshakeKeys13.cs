using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.KeySchedule;

namespace Tessera.Handshake;

/// <summary>
/// A TLS 1.3 handshake's keys from the ServerHello on (RFC 8446 §7.1): the negotiated suite and the key schedule, made
/// together when the suite is known and handed to every state after it through its constructor; the two handshake
/// traffic secrets in one block; the application secrets once the server's Finished is hashed, until the connected
/// state takes them. The handshake context keeps a reference only so that a failure zeroes all of it at once.
/// </summary>
internal sealed class HandshakeKeys13 : IDisposable
{
    private readonly byte[] _handshakeSecrets;
    private ApplicationSecrets13? _application;

    public HandshakeKeys13(CipherSuiteInfo suite, KeySchedule13 schedule)
    {
        Suite = suite;
        Schedule = schedule;
        _handshakeSecrets = new byte[2 * suite.HashLength];
    }

    public CipherSuiteInfo Suite { get; }
    public KeySchedule13 Schedule { get; }

    /// <summary>client_handshake_traffic_secret: zeros until <see cref="DeriveHandshakeSecrets"/>.</summary>
    public ReadOnlySpan<byte> ClientHandshakeSecret => _handshakeSecrets.AsSpan(0, Suite.HashLength);

    /// <summary>server_handshake_traffic_secret: zeros until <see cref="DeriveHandshakeSecrets"/>.</summary>
    public ReadOnlySpan<byte> ServerHandshakeSecret => _handshakeSecrets.AsSpan(Suite.HashLength, Suite.HashLength);

    /// <summary>Both handshake traffic secrets, from the transcript hash through ServerHello (the schedule at its handshake stage).</summary>
    public void DeriveHandshakeSecrets(ReadOnlySpan<byte> helloHash) =>
        Schedule.HandshakeTrafficSecrets(helloHash, _handshakeSecrets.AsSpan(0, Suite.HashLength), _handshakeSecrets.AsSpan(Suite.HashLength));

    /// <summary>Moves the schedule to the master secret and derives the application secrets, which stay here until taken.</summary>
    public ApplicationSecrets13 DeriveApplicationSecrets(ReadOnlySpan<byte> serverFinishedHash)
    {
        Schedule.AdvanceToMaster();
        _application = new ApplicationSecrets13(Suite.HashLength);
        Schedule.ApplicationSecrets(serverFinishedHash, _application);
        return _application;
    }

    /// <summary>The application secrets, still owned here.</summary>
    public ApplicationSecrets13 Application => _application ?? throw TlsException.Internal("the application secrets are used before they were derived");

    /// <summary>The application secrets change hands: the connected state owns (and zeroes) them from here.</summary>
    public ApplicationSecrets13 TakeApplicationSecrets()
    {
        var secrets = _application ?? throw TlsException.Internal("the application secrets were taken before they were derived");
        _application = null;
        return secrets;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_handshakeSecrets);
        _application?.Dispose();
        Schedule.Dispose();
    }
}
