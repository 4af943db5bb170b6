namespace Tessera.Fuzz;

/// <summary>
/// The protected half of a TLS 1.3 connection, which the raw connection targets cannot reach (a mutated byte there
/// fails the record's authentication): a real Tessera session runs in memory and the input, as a list of
/// <see cref="RecordEdit"/>s, rewrites the plaintext of the protected records one side sends before they are sealed
/// again for the other. "server-protected" rewrites what the client sends (Certificate, CertificateVerify, Finished,
/// data, KeyUpdate, alerts); "client-protected" what the server sends (EncryptedExtensions, CertificateRequest,
/// Certificate, CertificateVerify, Finished, NewSessionTicket, data, KeyUpdate, alerts). BoringSSL's fuzzer mode gets
/// here by turning encryption off; this keeps the library as shipped and does the sealing in the harness.
/// </summary>
internal sealed class ProtectedSessionTarget(bool server) : IFuzzTarget
{
    public string Name => server ? "server-protected" : "client-protected";

    public string Description => server
        ? "a TLS 1.3 session, mTLS, tickets, data, KeyUpdate, close: the input edits the client's protected records to the server"
        : "a TLS 1.3 session, mTLS, tickets, data, KeyUpdate, close: the input edits the server's protected records to the client";

    public void Run(byte[] input) => FuzzSession.Run(rewriteToServer: server, RecordEdit.Parse(input));
}
