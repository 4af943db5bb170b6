using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Handshake.Negotiation;

/// <summary>
/// The server's cipher suite, TLS 1.3 and TLS 1.2: its own order (or the client's, when the options say so), with one
/// ChaCha20 rule for both versions — a client whose first suite is a ChaCha20-Poly1305 one has no AES hardware, so
/// ChaCha20 goes first (as BoringSSL and Go decide it).
/// </summary>
internal static class SuiteSelection
{
    /// <summary>
    /// The one ChaCha20 rule: the first suite the client lists that <paramref name="version"/> defines (GREASE, legacy
    /// suites and the other version's skipped) is a ChaCha20-Poly1305 suite, and the options let the client's hardware decide.
    /// </summary>
    public static bool ClientLeadsWithChaCha20(CodePointList offered, TlsServerOptions options, ProtocolVersion version)
    {
        if (!options.PreferChaCha20WhenClientDoes) return false;
        for (var i = 0; i < offered.Count; i++)
            if (CipherSuiteInfo.Find(offered[i], version) is { } first) return first.Aead == AeadAlgorithm.ChaCha20Poly1305;
        return false;
    }

    /// <summary>TLS 1.3: the suite, or handshake_failure naming both lists.</summary>
    public static CipherSuiteInfo ChooseTls13(CodePointList offered, TlsServerOptions options)
    {
        var chaChaFirst = ClientLeadsWithChaCha20(offered, options, ProtocolVersion.Tls13);
        CipherSuiteInfo? chosen = null;
        if (options.PreferServerCipherSuiteOrder)
        {
            foreach (var s in options.CipherSuites.Each())
            {
                if (CipherSuiteInfo.Find((ushort)s, ProtocolVersion.Tls13) is not { } info || !offered.Contains((ushort)s)) continue;
                if (!chaChaFirst || info.Aead == AeadAlgorithm.ChaCha20Poly1305) return info;
                chosen ??= info;
            }
        }
        else
        {
            // The client's order: when it leads with ChaCha20, its first shared suite is ChaCha20 already.
            for (var i = 0; i < offered.Count; i++)
                if (CipherSuiteInfo.Find(offered[i], ProtocolVersion.Tls13) is { } info && options.CipherSuites.Contains(info.Suite)) return info;
        }
        if (chosen is not null) return chosen;
        var listed = PeerText.List(offered.ToList(s => s), s => TlsNames.Of((CipherSuite)s));
        var accepted = string.Join(", ", options.CipherSuites.Where(s => CipherSuiteInfo.Get(s).IsTls13).Select(TlsNames.Of));
        throw TlsException.HandshakeFailure($"no cipher suite in common: the client offered {listed}; Tessera accepts {accepted}");
    }

    /// <summary>
    /// TLS 1.2: every shared suite in the order to try them (the certificate decides among them: a suite needs a
    /// certificate of its authentication), ChaCha20 ones first — order otherwise kept — when the client leads with one.
    /// </summary>
    public static List<CipherSuiteInfo> CandidatesTls12(CodePointList offered, TlsServerOptions options)
    {
        var candidates = new List<CipherSuiteInfo>();
        if (options.PreferServerCipherSuiteOrder)
        {
            foreach (var s in options.CipherSuites.Each())
                if (CipherSuiteInfo.Find((ushort)s, ProtocolVersion.Tls12) is { } info && offered.Contains((ushort)s)) candidates.Add(info);
        }
        else
        {
            for (var i = 0; i < offered.Count; i++)
                if (CipherSuiteInfo.Find(offered[i], ProtocolVersion.Tls12) is { } info && options.CipherSuites.Contains(info.Suite)) candidates.Add(info);
        }
        if (ClientLeadsWithChaCha20(offered, options, ProtocolVersion.Tls12))
        {
            // A stable partition (List.Sort is not stable, and the rest of the order is the server's or the client's word).
            var chaCha = candidates.FindAll(c => c.Aead == AeadAlgorithm.ChaCha20Poly1305);
            candidates.RemoveAll(c => c.Aead == AeadAlgorithm.ChaCha20Poly1305);
            candidates.InsertRange(0, chaCha);
        }
        if (candidates.Count > 0) return candidates;

        var all = offered.ToList(s => s);
        var named = PeerText.List(all.Where(s => !ExtensionNames.IsGrease(s) && s != (ushort)CipherSuite.TlsEmptyRenegotiationInfoScsv),
            s => TlsNames.Of((CipherSuite)s));
        var ours = string.Join(", ", options.CipherSuites.Where(s => !CipherSuiteInfo.Get(s).IsTls13).Select(TlsNames.Of));
        var legacyOnly = !all.Any(s => CipherSuiteInfo.Find(s) is not null);
        throw TlsException.HandshakeFailure(legacyOnly
            ? $"the client offered only legacy cipher suites ({named}); Tessera accepts only ECDHE with AES-GCM or ChaCha20-Poly1305: {ours}"
            : $"no TLS 1.2 cipher suite in common: the client offered {named}; this server accepts {ours}");
    }
}
