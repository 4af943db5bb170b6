using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Cli.Output;

/// <summary>One sentence per handshake step on what it proves or sets up — the annotation a learner needs next to the bytes.</summary>
internal static class MessageNotes
{
    public static string? For(HandshakeEvent e, bool sentByClient)
    {
        var from = sentByClient ? "client" : "server";
        switch (e.Kind)
        {
            case HandshakeEventKind.ChangeCipherSpec when e.Name == "ChangeCipherSpec":
                return $"TLS 1.2: from the next record on, the {from} encrypts with the keys just agreed";
            case HandshakeEventKind.ChangeCipherSpec:
                return "a no-op record that makes TLS 1.3 look like a resumed TLS 1.2 session to old middleboxes (RFC 8446 D.4)";
            case HandshakeEventKind.Alert:
                return e.Name.Contains("close_notify", StringComparison.Ordinal)
                    ? $"the {from} says it will send no more data; without it a reader could not tell an attack from the end"
                    : "the handshake or connection failed; the alert says why";
            case HandshakeEventKind.KeysChanged:
                return null;
        }
        return e.MessageType switch
        {
            HandshakeType.ClientHello when Has(e, "pre_shared_key") => "offers a ticket from an earlier session (with a binder proving it holds the ticket's key) plus a fresh key share",
            HandshakeType.ClientHello => "offers versions, cipher suites, groups and a key share, so a server can answer in one round trip",
            HandshakeType.ServerHello when IsRetry(e) => "HelloRetryRequest: the server wants a key share for another group; the client must try again once",
            HandshakeType.ServerHello when Has(e, "version") => "TLS 1.2: picks the version and suite (its random would carry a downgrade sentinel if TLS 1.3 had been stripped); the key exchange follows",
            HandshakeType.ServerHello when Has(e, "pre_shared_key") => "accepts the ticket: the session resumes, so no certificate or signature follows",
            HandshakeType.ServerHello => "picks the version, suite and group and sends its key share: both sides can now compute the handshake secret",
            HandshakeType.EncryptedExtensions => "the first encrypted message: the server's answers (ALPN, SNI ack) that need not be visible on the wire",
            HandshakeType.CertificateRequest => "the server asks the client to authenticate too (mutual TLS), and says which signature schemes it accepts",
            HandshakeType.Certificate => $"the {from}'s certificate chain, which the peer verifies against its trusted roots and the expected name",
            HandshakeType.CompressedCertificate => $"the {from}'s certificate chain, compressed with an algorithm the peer offered (RFC 8879); the peer decompresses and verifies it as any Certificate",
            HandshakeType.CertificateVerify => $"the {from} signs the transcript, proving it holds the certificate's private key",
            HandshakeType.Finished => $"the {from}'s MAC over the whole transcript, keyed from the shared secret: nothing was altered in flight",
            HandshakeType.ServerKeyExchange => "TLS 1.2: the server's ephemeral ECDHE key, signed with its certificate key over both randoms (this is its proof of identity)",
            HandshakeType.ServerHelloDone => "TLS 1.2: the server's first flight is complete; the client's turn",
            HandshakeType.ClientKeyExchange => "TLS 1.2: the client's ephemeral ECDHE key; both sides now derive the master secret (extended, RFC 7627)",
            HandshakeType.NewSessionTicket => "a ticket the client can present later to resume without certificates or signatures",
            HandshakeType.KeyUpdate => $"the {from} switches to the next generation of traffic keys",
            HandshakeType.EndOfEarlyData => "the client has finished sending 0-RTT data",
            _ => null,
        };
    }

    /// <summary>A ServerHello that is a HelloRetryRequest (RFC 8446 §4.1.4: the same message type, a fixed random).</summary>
    internal static bool IsRetry(HandshakeEvent e) => e.MessageType == HandshakeType.ServerHello && Has(e, "hello_retry_request");

    private static bool Has(HandshakeEvent e, string field)
    {
        foreach (var f in e.Fields)
            if (f.Key == field) return true;
        return false;
    }
}
