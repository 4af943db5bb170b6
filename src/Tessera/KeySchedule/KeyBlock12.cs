using System.Security.Cryptography;
using Tessera.Crypto;

namespace Tessera.KeySchedule;

/// <summary>
/// RFC 5246 §6.3 key block for an AEAD suite: client_write_key, server_write_key, client_write_IV,
/// server_write_IV (AEAD suites have no MAC keys; the IV is the GCM salt or the ChaCha20 IV).
/// </summary>
internal sealed class KeyBlock12 : IDisposable
{
    private KeyBlock12(byte[] clientKey, byte[] serverKey, byte[] clientIv, byte[] serverIv)
    {
        ClientKey = clientKey;
        ServerKey = serverKey;
        ClientIv = clientIv;
        ServerIv = serverIv;
    }

    public byte[] ClientKey { get; }
    public byte[] ServerKey { get; }
    public byte[] ClientIv { get; }
    public byte[] ServerIv { get; }

    public static KeyBlock12 Derive(CipherSuiteInfo suite, ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        int k = suite.KeyLength, iv = suite.Tls12FixedIvLength;
        var block = Prf12.KeyBlock(suite.Hash, masterSecret, clientRandom, serverRandom, 2 * k + 2 * iv);
        var result = new KeyBlock12(block[..k], block[k..(2 * k)], block[(2 * k)..(2 * k + iv)], block[(2 * k + iv)..]);
        CryptographicOperations.ZeroMemory(block);
        return result;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(ClientKey);
        CryptographicOperations.ZeroMemory(ServerKey);
        CryptographicOperations.ZeroMemory(ClientIv);
        CryptographicOperations.ZeroMemory(ServerIv);
    }
}
