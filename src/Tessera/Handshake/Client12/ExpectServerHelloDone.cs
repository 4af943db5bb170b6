using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client12;

/// <summary>
/// Waits for ServerHelloDone, then sends the client's flight: its Certificate if asked, ClientKeyExchange,
/// CertificateVerify if it sent a certificate, ChangeCipherSpec and Finished (RFC 5246 §7.3).
/// </summary>
internal sealed class ExpectServerHelloDone(ClientHandshake12 cx) : IHandshakeState
{
    public string Expecting => "waiting for ServerHelloDone";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.ServerHelloDone, Expecting);
        if (!message.Body.IsEmpty) throw TlsException.DecodeError("ServerHelloDone must be empty");
        cx.Transcript.Add(message);
        var conn = cx.Connection;

        var credential = cx.CertificateRequest is null ? null : SendCertificate();

        var cke = new ClientKeyExchangeEcdhe { PublicKey = cx.ClientPublicKey }.Encode();
        cx.Transcript.Add(cke);
        conn.SendHandshake(cke);
        cx.EstablishKeys();

        if (credential is { } c)
        {
            // RFC 5246 §7.4.8: the signature covers every handshake message so far, hashed with the scheme's hash.
            var verify = CertificateVerify.Encode(c.Scheme, conn.CryptoProvider.Sign(c.Credential.Key, c.Scheme, cx.Transcript.Messages));
            cx.Transcript.Add(verify);
            conn.SendHandshake(verify);
            conn.LocalCertificate = c.Credential;
        }

        conn.SendChangeCipherSpec();
        conn.SetWriteKeys12(cx.Suite, cx.Keys!.ClientKey, cx.Keys.ClientIv, "client keys");
        var finished = new Finished { VerifyData = Prf12.VerifyData(cx.Suite.Hash, cx.MasterSecret, client: true, cx.Transcript.CurrentHash()) }.Encode();
        cx.Transcript.Add(finished);
        conn.SendHandshake(finished);
        return new ExpectServerChangeCipherSpec(cx);
    }

    private (Certificates.TlsCredential Credential, SignatureScheme Scheme)? SendCertificate()
    {
        var request = cx.CertificateRequest!;
        var info = new ClientCertificateRequestInfo(cx.ServerName, request.SignatureSchemes, request.CertificateAuthorities);
        var credential = cx.Options.ClientCertificateSelector is { } select ? select(info) : cx.Options.ClientCertificate;
        var usable = new List<SignatureScheme>();
        foreach (var s in request.SignatureSchemes)
            if (SignatureSchemes.IsUsableInTls12(s)) usable.Add(s);
        var scheme = credential?.ChooseScheme(usable, ProtocolVersion.Tls12);

        // RFC 5246 §7.4.6: without a suitable certificate the client sends an empty list.
        var chain = new List<byte[]>();
        if (credential is not null && scheme is not null)
            chain.AddRange(credential.ChainDer);
        var message = Certificate12.Encode(chain);
        cx.Transcript.Add(message);
        cx.Connection.SendHandshake(message);
        return chain.Count == 0 ? null : (credential!, scheme!.Value);
    }
}
