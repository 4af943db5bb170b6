namespace Tessera.Wire;

/// <summary>RFC 8446 §4.4.2 CertificateEntry (X.509 form): DER certificate and its extensions (OCSP, SCT).</summary>
public sealed record CertificateEntry(byte[] CertData, List<TlsExtension> Extensions);
