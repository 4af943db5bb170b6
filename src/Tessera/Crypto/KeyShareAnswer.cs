namespace Tessera.Crypto;

/// <summary>
/// The server's side of one TLS 1.3 key exchange: the key_exchange bytes of its KeyShareEntry, and the shared secret
/// that enters the key schedule. For a Diffie-Hellman group the share is a fresh public key; for a KEM it is the
/// ciphertext encapsulated to the client's key.
/// </summary>
/// <param name="Share">The server's key_exchange bytes.</param>
/// <param name="SharedSecret">The shared secret; the caller zeroes it once the handshake secret is derived.</param>
public readonly record struct KeyShareAnswer(byte[] Share, byte[] SharedSecret);
