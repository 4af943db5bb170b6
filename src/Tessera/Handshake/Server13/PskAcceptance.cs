using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Resumption;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>
/// Decides whether a ClientHello's pre_shared_key can resume a session (RFC 8446 §4.2.11, §4.6.1): the first
/// identity whose ticket opens, is unexpired, was issued for TLS 1.3 with a suite of the same hash, for the same
/// server name, with an age the client reports plausibly. Its binder must then verify, or the handshake is
/// aborted with decrypt_error. Tickets that do not qualify are skipped: the handshake falls back to a full one.
/// </summary>
internal static class PskAcceptance
{
    /// <summary>The resumed session; <paramref name="Schedule"/> is the early key schedule the binder was checked with, which the handshake goes on with.</summary>
    public sealed record Accepted(int Index, ServerSessionState State, KeySchedule13 Schedule, TimeSpan Age, TimeSpan ClientReportedAge);

    public static Accepted? TryAccept(ServerHandshake13 cx, HandshakeMessage clientHello, ClientHelloOffer offer, CipherSuiteInfo suite)
    {
        var options = cx.Options;
        if (!offer.HasPreSharedKey || options.TicketProtector is not { } protector) return null;
        // Only psk_dhe_ke: resumption keeps forward secrecy (RFC 8446 §4.2.9); a client offering only psk_ke gets a full handshake.
        if (!offer.OffersPskDheKe) return null;
        // A resumed session carries no client certificate, so a server that requires one does not resume.
        if (options.ClientCertificateMode != Connection.ClientCertificateMode.None) return null;

        var now = cx.Connection.Now;
        var psks = offer.PreSharedKey;
        var i = -1;
        foreach (var offered in psks)
        {
            i++;
            if (protector.Unprotect(offered.Identity, now) is not { } sealedState) continue;
            var state = ServerSessionState.Decode(sealedState);
            CryptographicOperations.ZeroMemory(sealedState);
            if (state is null || state.Version != ProtocolVersion.Tls13) continue;
            if (CipherSuiteInfo.Find((ushort)state.Suite, ProtocolVersion.Tls13) is not { } ticketSuite || ticketSuite.Hash != suite.Hash) continue;
            if (!string.Equals(state.ServerName, offer.ServerName, StringComparison.OrdinalIgnoreCase)) continue;   // RFC 8446 §4.6.1 SNI
            var age = now - state.IssuedAt;
            if (age < TimeSpan.Zero || age > TimeSpan.FromSeconds(state.LifetimeSeconds)) continue;   // expired: full handshake

            var early = CheckBinder(cx, clientHello, psks.BindersLength, offered.Binder, suite, state.Secret);
            // RFC 8446 §8.1: a ticket carries 0-RTT data once. A replayed 0-RTT ClientHello gets a full handshake, and so
            // never its early data. (Without early data a replay is harmless: it cannot finish without the PSK.)
            if (offer.EarlyData && options.AntiReplay is { } antiReplay &&
                !antiReplay.TryUse(offered.Identity, state.IssuedAt.AddSeconds(state.LifetimeSeconds), now))
            {
                early.Dispose();
                continue;
            }
            var clientAge = TimeSpan.FromMilliseconds(unchecked(offered.ObfuscatedTicketAge - state.AgeAdd));
            return new Accepted(i, state, early, age, clientAge);
        }
        return null;
    }

    /// <summary>
    /// Checks the binder (RFC 8446 §4.2.11.2) and returns the early key schedule it was checked with — the same one the
    /// handshake derives from next, so the early secret is extracted once. Keys and hashes live on the stack.
    /// </summary>
    private static KeySchedule13 CheckBinder(ServerHandshake13 cx, HandshakeMessage clientHello, int bindersLength, ReadOnlySpan<byte> binder,
        CipherSuiteInfo suite, byte[] psk)
    {
        var truncated = clientHello.Span[..(clientHello.Length - bindersLength)];
        var early = new KeySchedule13(suite, psk, cx.Connection.CryptoProvider);
        Span<byte> binderKey = stackalloc byte[suite.HashLength];
        Span<byte> expected = stackalloc byte[suite.HashLength];
        early.BinderKey(external: false, binderKey);
        KeySchedule13.ComputeFinished(suite.Hash, binderKey, cx.Transcript.HashWith(suite.Hash, truncated, stackalloc byte[Transcript.MaxHashLength]), expected, cx.Connection.CryptoProvider);
        CryptographicOperations.ZeroMemory(binderKey);
        if (CryptographicOperations.FixedTimeEquals(expected, binder)) return early;
        early.Dispose();
        throw new TlsException(AlertDescription.DecryptError, "the PSK binder does not verify: the ClientHello was altered or the client does not hold the ticket's key");
    }
}
