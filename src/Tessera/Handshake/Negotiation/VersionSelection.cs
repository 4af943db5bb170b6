using Tessera.Connection;
using Tessera.Wire;
using Tessera.Diagnostics;

using Tessera.Handshake.Server13;

namespace Tessera.Handshake.Negotiation;

/// <summary>
/// The server's version choice: the highest version both sides enable, from supported_versions when the client
/// sent it (RFC 8446 §4.2.1) and from legacy_version otherwise. Also the RFC 7507 fallback check.
/// </summary>
internal static class VersionSelection
{
    public static ProtocolVersion Choose(ClientHelloOffer offer, TlsServerOptions options)
    {
        var hello = offer;
        bool offers13, offers12;
        ushort highest;
        var versions = offer.Versions;
        if (!versions.IsEmpty)
        {
            // RFC 8446 Appendix D.5: a hello whose legacy_version is SSL 3.0 or lower is refused with protocol_version,
            // whatever supported_versions says (OpenSSL refuses every value up to 0x0300 the same way). TLS 1.0 and 1.1
            // values are tolerated here, as OpenSSL, Go and rustls tolerate them: supported_versions decides.
            if (hello.LegacyVersion <= (ushort)ProtocolVersion.Ssl30)
                throw new TlsException(AlertDescription.ProtocolVersion,
                    $"the ClientHello's legacy_version is {TlsNames.OfVersion(hello.LegacyVersion)}, which no TLS 1.2 or 1.3 client sends (RFC 8446 Appendix D.5)");
            offers13 = versions.Contains((ushort)ProtocolVersion.Tls13);
            offers12 = versions.Contains((ushort)ProtocolVersion.Tls12);
            highest = 0;
            for (var i = 0; i < versions.Count; i++)
                if (!ExtensionNames.IsGrease(versions[i]) && versions[i] > highest) highest = versions[i];
        }
        else
        {
            // RFC 8446 §4.2.1: without supported_versions the client speaks at most legacy_version.
            offers13 = false;
            offers12 = hello.LegacyVersion >= (ushort)ProtocolVersion.Tls12;
            highest = hello.LegacyVersion;
        }

        ProtocolVersion chosen;
        if (offers13 && options.Tls13Enabled) chosen = ProtocolVersion.Tls13;
        else if (offers12 && options.Tls12Enabled) chosen = ProtocolVersion.Tls12;
        else
        {
            var accepted = (options.Tls13Enabled, options.Tls12Enabled) switch
            {
                (true, true) => "TLS 1.3 and TLS 1.2",
                (true, false) => "TLS 1.3 only",
                _ => "TLS 1.2 only",
            };
            var what = highest < (ushort)ProtocolVersion.Tls12
                ? $"the client's highest version is {TlsNames.OfVersion(highest)}, which is obsolete and insecure"
                : $"the client offers {PeerText.List(!versions.IsEmpty ? versions.ToList(v => v).Where(v => !ExtensionNames.IsGrease(v)).Select(TlsNames.OfVersion) : [TlsNames.OfVersion(highest)])}";
            throw new TlsException(AlertDescription.ProtocolVersion, $"{what}; this server accepts {accepted}");
        }

        // RFC 7507 §3: a client retrying with a lower version says so; if we could have done better, someone interfered.
        if (chosen < options.HighestEnabled && hello.CipherSuites.Contains((ushort)CipherSuite.TlsFallbackScsv))
            throw new TlsException(AlertDescription.InappropriateFallback,
                $"the client signalled a fallback (TLS_FALLBACK_SCSV) to {TlsNames.OfVersion((ushort)chosen)}, but this server supports {TlsNames.OfVersion((ushort)options.HighestEnabled)}: an earlier attempt was interfered with");
        return chosen;
    }
}
