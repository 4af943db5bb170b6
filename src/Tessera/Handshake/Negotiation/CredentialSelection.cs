using Tessera.Certificates;
using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Handshake.Server13;
using Tessera.Wire;

namespace Tessera.Handshake.Negotiation;

/// <summary>
/// The server's certificate and signature scheme, TLS 1.3 and TLS 1.2: the options' selector when it answers, else by
/// SNI (<see cref="ServerNameLookup"/>: the name, then its wildcard) among the certificates that fit, else the first
/// that fits. A certificate fits when its key signs with a scheme the client accepts under the version's rules, and in
/// TLS 1.2 when it matches the suite's authentication and (ECDSA) a curve the client lists (RFC 8422 §5.1).
/// </summary>
internal static class CredentialSelection
{
    /// <summary>TLS 1.3. The usable schemes are filtered as they are compared, so the common case builds no list.</summary>
    public static (TlsCredential Credential, SignatureScheme Scheme) ChooseTls13(ClientHelloOffer offer, TlsServerOptions options)
    {
        var offered = offer.SignatureSchemes;
        if (options.CertificateSelector is { } select)
        {
            var schemes = Usable(offered, ProtocolVersion.Tls13);
            if (select(new ServerCertificateSelectionContext(offer.ServerName, schemes)) is { } chosen)
                return (chosen, SchemeFor(chosen, offered, ProtocolVersion.Tls13)
                    ?? throw TlsException.HandshakeFailure($"the selected certificate's key cannot sign with any scheme the client accepts ({Names(schemes)})"));
        }
        var credential = BySni(offer, options, suite12: null)
            ?? throw TlsException.HandshakeFailure($"no certificate can sign with a scheme the client accepts ({Names(Usable(offered, ProtocolVersion.Tls13))})");
        return (credential, SchemeFor(credential, offered, ProtocolVersion.Tls13)!.Value);
    }

    /// <summary>TLS 1.2: the first of <paramref name="candidates"/> (in order) that a certificate fits, with that certificate.</summary>
    public static (CipherSuiteInfo Suite, TlsCredential Credential, SignatureScheme Scheme) ChooseTls12(
        ClientHelloOffer offer, TlsServerOptions options, List<CipherSuiteInfo> candidates)
    {
        var offered = offer.SignatureSchemes;
        var selector = options.CertificateSelector is { } select
            ? select(new ServerCertificateSelectionContext(offer.ServerName, Usable(offered, ProtocolVersion.Tls12)))
            : null;
        foreach (var suite in candidates)
        {
            if (selector is not null)
            {
                if (Fits(selector, offer, suite) && SchemeFor(selector, offered, ProtocolVersion.Tls12) is { } chosen) return (suite, selector, chosen);
                continue;
            }
            if (BySni(offer, options, suite) is { } fits)
                return (suite, fits, SchemeFor(fits, offered, ProtocolVersion.Tls12)!.Value);
        }
        throw TlsException.HandshakeFailure(
            $"no certificate fits a TLS 1.2 suite the client offered ({string.Join(", ", candidates.Select(c => c.Name))}) with a signature scheme it accepts ({PeerText.List(Usable(offered, ProtocolVersion.Tls12), TlsNames.Of)})");
    }

    /// <summary>
    /// The certificate's first scheme (its own preference) that the client lists and <paramref name="version"/> allows;
    /// the same answer as <see cref="TlsCredential.ChooseScheme(IReadOnlyList{SignatureScheme}, ProtocolVersion)"/> over the usable list.
    /// </summary>
    private static SignatureScheme? SchemeFor(TlsCredential credential, CodePointList offered, ProtocolVersion version)
    {
        var ours = credential.Key.SchemesFor(version);
        for (var i = 0; i < ours.Count; i++)
            if (SignatureSchemes.IsUsable(ours[i], version) && offered.Contains((ushort)ours[i])) return ours[i];
        return null;
    }

    /// <summary>The client's schemes this version allows, for a selector's context and for messages.</summary>
    private static List<SignatureScheme> Usable(CodePointList offered, ProtocolVersion version)
    {
        var usable = new List<SignatureScheme>(offered.Count);
        for (var i = 0; i < offered.Count; i++)
            if (SignatureSchemes.IsUsable((SignatureScheme)offered[i], version)) usable.Add((SignatureScheme)offered[i]);
        return usable;
    }

    /// <summary>By SNI: a certificate naming the host, then one whose wildcard covers it, among those that fit; else the first that fits.</summary>
    private static TlsCredential? BySni(ClientHelloOffer offer, TlsServerOptions options, CipherSuiteInfo? suite12) =>
        ServerNameLookup.Resolve(offer.ServerName, (offer, options, suite12),
            static (state, name) => Fitting(state.offer, state.options, state.suite12, name),
            Fitting(offer, options, suite12, name: null));

    private static TlsCredential? Fitting(ClientHelloOffer offer, TlsServerOptions options, CipherSuiteInfo? suite12, string? name)
    {
        foreach (var c in options.Certificates.Each())
        {
            var fits = suite12 is null
                ? SchemeFor(c, offer.SignatureSchemes, ProtocolVersion.Tls13) is not null
                : Fits(c, offer, suite12) && SchemeFor(c, offer.SignatureSchemes, ProtocolVersion.Tls12) is not null;
            if (fits && (name is null || c.HasDnsName(name))) return c;
        }
        return null;
    }

    /// <summary>TLS 1.2: the suite's authentication, and RFC 8422 §5.1's curve rule — supported_groups limits an ECDSA certificate's curve (OpenSSL clients enforce it as "wrong curve"); Ed25519 and RSA keys are not constrained.</summary>
    private static bool Fits(TlsCredential credential, ClientHelloOffer offer, CipherSuiteInfo suite) =>
        credential.Key.Authentication == suite.Authentication &&
        (!offer.HasGroups || credential.LeafCurve is not { } curve || offer.Groups.Contains((ushort)curve));

    private static string Names(IEnumerable<SignatureScheme> schemes) => PeerText.List(schemes, TlsNames.Of);
}
