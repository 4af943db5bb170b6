using Tessera.Wire;

namespace Tessera.Handshake.Client13;

/// <summary>Waits for the server's Certificate, or a CertificateRequest before it (RFC 8446 §4.3.2).</summary>
internal sealed class ExpectCertificateOrRequest(ClientHandshake13 cx, HandshakeKeys13 keys) : IHandshakeState
{
    public string Expecting => "waiting for Certificate or CertificateRequest";

    public IHandshakeState Handle(HandshakeMessage message)
    {
        if (message.Type is HandshakeType.Certificate or HandshakeType.CompressedCertificate) return new ExpectCertificate(cx, keys).Handle(message);
        message.Require(HandshakeType.CertificateRequest, Expecting);
        var request = CertificateRequest.Decode(message.Body);
        // RFC 8446 §4.3.2: the context is empty except in post-handshake authentication.
        if (request.Context.Length != 0) throw TlsException.Illegal("CertificateRequest during the handshake has a non-empty context");
        var sigalgs = TlsExtension.Find(request.Extensions, ExtensionType.SignatureAlgorithms)
            ?? throw new TlsException(AlertDescription.MissingExtension, "CertificateRequest lacks signature_algorithms");
        cx.RequestedSchemes = SignatureAlgorithmsExtension.Read(sigalgs);
        cx.CertificateRequest = request;
        cx.Transcript.Add(message);
        return new ExpectCertificate(cx, keys);
    }
}
