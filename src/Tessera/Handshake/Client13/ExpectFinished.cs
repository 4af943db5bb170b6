using System.Security.Cryptography;
using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.KeySchedule;
using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>
/// Waits for the server's Finished (RFC 8446 §4.4.4), then sends the client's second flight: its
/// certificate if one was requested, and its own Finished.
/// </summary>
internal sealed class ExpectFinished(ClientHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for the server's Finished";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        message.Require(HandshakeType.Finished, Expecting);
        var suite = keys.Suite;
        var hash = suite.Hash;
        var verifyData = Finished.Read(message.Body, suite.HashLength);
        Span<byte> expected = stackalloc byte[suite.HashLength];
        KeySchedule13.ComputeFinished(hash, keys.ServerHandshakeSecret, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), expected, cx.Connection.CryptoProvider);
        if (!CryptographicOperations.FixedTimeEquals(expected, verifyData))
            throw new TlsException(AlertDescription.DecryptError, "the server's Finished does not match the handshake transcript: the handshake was altered or the keys differ");
        cx.Transcript.Add(message);

        var conn = cx.Connection;
        var serverFinishedHash = cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]);
        var secrets = keys.DeriveApplicationSecrets(serverFinishedHash);
        conn.LogSecret("CLIENT_TRAFFIC_SECRET_0", secrets.Client);
        conn.LogSecret("SERVER_TRAFFIC_SECRET_0", secrets.Server);
        conn.LogSecret("EXPORTER_SECRET", secrets.Exporter);
        conn.SetReadKeys(suite, secrets.Server, "server application keys");

        if (cx.Options.MiddleboxCompatibility && !cx.ChangeCipherSpecSent)
        {
            conn.SendChangeCipherSpec();
            cx.ChangeCipherSpecSent = true;
        }
        if (cx.EarlyWriting)
        {
            // RFC 8446 §4.5: EndOfEarlyData ends accepted early data, under the early keys; rejected data just stops.
            if (conn.EarlyDataAccepted == true)
            {
                var end = EndOfEarlyData.Encode();
                cx.Transcript.Add(end);
                conn.SendHandshake(end);
            }
            cx.EarlyWriting = false;
            conn.SetWriteKeys(suite, keys.ClientHandshakeSecret, "client handshake keys");
        }
        if (cx.CertificateRequest is not null) SendClientCertificate();

        // Written on the stack: the message is hashed and queued, and nothing of it is kept.
        KeySchedule13.ComputeFinished(hash, keys.ClientHandshakeSecret, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), expected, cx.Connection.CryptoProvider);
        var clientFinished = Finished.Write(expected, stackalloc byte[HandshakeMessage.HeaderLength + Transcript.MaxHashLength]);
        cx.Transcript.Add(clientFinished);
        conn.SendHandshake(HandshakeType.Finished, clientFinished);
        CryptographicOperations.ZeroMemory(expected);
        conn.SetWriteKeys(suite, secrets.Client, "client application keys");

        keys.Schedule.ResumptionMasterSecret(cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]), secrets.Resumption);
        // The secrets change hands: the connected state owns them from here, the handshake's Dispose no longer zeroes them.
        var connected = new Connected13(conn, suite, keys.TakeApplicationSecrets());
        conn.CompleteHandshake(connected);
        cx.Dispose();
        return connected;
    }

    private void SendClientCertificate()
    {
        var request = cx.CertificateRequest!;
        var authorities = TlsExtension.Find(request.Extensions, ExtensionType.CertificateAuthorities) is { } ca
            ? CertificateAuthoritiesExtension.Read(ca)
            : [];
        var info = new ClientCertificateRequestInfo(cx.ServerName, cx.RequestedSchemes, authorities);
        var credential = cx.Options.ClientCertificateSelector is { } select ? select(info) : cx.Options.ClientCertificate;
        var scheme = credential?.ChooseScheme(Filter(cx.RequestedSchemes));

        // RFC 8446 §4.4.2: without a suitable certificate the client sends an empty Certificate.
        var entries = new List<CertificateEntry>();
        if (credential is not null && scheme is not null)
            foreach (var der in credential.ChainDer) entries.Add(new CertificateEntry(der, []));
        var certificate = new CertificateMessage { Context = request.Context, Entries = entries }.Encode();
        // RFC 8879 §3: a server that listed compress_certificate in its CertificateRequest gets the certificate
        // compressed; with the handshake's empty context that is the credential's cached form.
        if (entries.Count > 0 && TlsExtension.Find(request.Extensions, ExtensionType.CompressCertificate) is { } listed &&
            CertificateCompressor.Choose(cx.Options.CertificateCompression, new CodePointList(CompressCertificateExtension.ReadInPlace(listed))) is { } algorithm)
        {
            var compressed = request.Context.Length == 0 ? credential!.CompressedCertificate13(algorithm, stapled: false) : CertificateCompressor.Compress(algorithm, certificate);
            cx.Connection.SentCertificateCompression = new Connection.CertificateCompressionResult(algorithm, certificate.Length, compressed.Length);
            certificate = compressed;
        }
        cx.Transcript.Add(certificate);
        cx.Connection.SendHandshake(certificate);
        if (entries.Count == 0) return;

        var content = CertificateVerifyContent.Build(server: false, cx.Transcript.CurrentHash(stackalloc byte[Transcript.MaxHashLength]),
            stackalloc byte[CertificateVerifyContent.MaxLength]);
        var verify = CertificateVerify.Encode(scheme!.Value, cx.Connection.CryptoProvider.Sign(credential!.Key, scheme.Value, content));
        cx.Transcript.Add(verify);
        cx.Connection.SendHandshake(verify);
        cx.Connection.LocalCertificate = credential;
    }

    private static List<SignatureScheme> Filter(IReadOnlyList<SignatureScheme> schemes)
    {
        var usable = new List<SignatureScheme>();
        foreach (var s in schemes)
            if (SignatureSchemes.IsUsableInTls13(s)) usable.Add(s);
        return usable;
    }
}
