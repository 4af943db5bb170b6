using Tessera.Wire;

namespace Tessera.Scan;

/// <summary>
/// Grades a <see cref="ScanReport"/> the way SSL Labs' SSL Server Rating Guide does: 30 % protocol support, 30 % key
/// exchange, 40 % cipher strength, a letter from the score, then the guide's caps (each kept with its reason), and
/// T/M for certificate trust and name. Rules Tessera adds beyond the guide say so in their rule text.
/// </summary>
public static class Grader
{
    private const string Guide = "SSL Labs rating guide";
    private const string Tessera = "Tessera rule (not in SSL Labs' guide)";
    /// <summary>RFC 6797 max-age SSL Labs asks of HSTS for an A+: 180 days.</summary>
    private const long HstsMinimum = 180L * 24 * 3600;

    /// <summary>The grade of a scan: score, caps and letter.</summary>
    public static GradeResult Grade(ScanReport r)
    {
        var protocol = ProtocolScore(r);
        var keyExchange = KeyExchangeScore(r);
        var cipher = CipherScore(r);
        var score = protocol == 0 || keyExchange == 0 || cipher == 0 ? 0 : (int)Math.Round(0.3 * protocol + 0.3 * keyExchange + 0.4 * cipher);
        var letter = score >= 80 ? Letter.A : score >= 65 ? Letter.B : score >= 50 ? Letter.C : score >= 35 ? Letter.D : score >= 20 ? Letter.E : Letter.F;
        var caps = Caps(r);
        foreach (var cap in caps)
            if (cap.Max < letter) letter = cap.Max;
        if (letter == Letter.A && APlus(r)) letter = Letter.APlus;

        var chain = r.Chains.Count > 0 ? r.Chains[0] : null;
        string? outcome = null;
        var grade = GradeResult.Text(letter);
        if (chain is null)
        {
            outcome = "no certificate could be read, so trust was not judged";
        }
        else if (chain.Verdict("webpki") is { Trusted: false } untrusted)
        {
            grade = "T";
            outcome = $"T: the certificate is not trusted ({untrusted.Problem}); the configuration alone would earn {GradeResult.Text(letter)}";
        }
        else if (!chain.NameMatches)
        {
            grade = "M";
            outcome = $"M: the certificate does not name {chain.Host}; the configuration alone would earn {GradeResult.Text(letter)}";
        }
        return new GradeResult
        {
            Grade = grade,
            GradeIgnoringCertificate = GradeResult.Text(letter),
            CertificateOutcome = outcome,
            Score = score,
            ProtocolScore = protocol,
            KeyExchangeScore = keyExchange,
            CipherScore = cipher,
            Caps = caps,
        };
    }

    /// <summary>Best and worst protocol averaged: SSL 2.0 0, SSL 3.0 80, TLS 1.0 90, TLS 1.1 95, TLS 1.2 and 1.3 100.</summary>
    private static int ProtocolScore(ScanReport r)
    {
        int? best = null, worst = null;
        foreach (var v in r.Versions)
        {
            if (!v.Supported) continue;
            var s = v.Version switch
            {
                ProtocolVersion.Ssl30 => 80,
                ProtocolVersion.Tls10 => 90,
                ProtocolVersion.Tls11 => 95,
                ProtocolVersion.Tls12 or ProtocolVersion.Tls13 => 100,
                _ => 0,
            };
            best = Math.Max(best ?? s, s);
            worst = Math.Min(worst ?? s, s);
        }
        return best is null ? 0 : (best.Value + worst!.Value) / 2;
    }

    /// <summary>
    /// The weakest key exchange the server will do, in RSA-equivalent bits: the certificate's key, each DHE modulus,
    /// each ECDHE/TLS 1.3 group (128-bit security counts as 3072). Anonymous suites score 0, export ones 40.
    /// </summary>
    private static int KeyExchangeScore(ScanReport r)
    {
        var weakest = int.MaxValue;
        var anonymous = false;
        var export = false;
        if (r.Chains.Count > 0 && r.Chains[0].Certificates.Count > 0) weakest = CertificateStrength(r.Chains[0].Certificates[0]);
        foreach (var s in r.Suites)
        {
            foreach (var a in s.Accepted)
            {
                if (a.Info.IsAnonymous) anonymous = true;
                if (a.Info.IsExport) export = true;
                if (a.DhBits is { } dh) weakest = Math.Min(weakest, dh);
                else if (a.KeyExchange is { } group && NamedGroupRegistry.Find(GroupId(group)) is { } g) weakest = Math.Min(weakest, RsaEquivalent(g.Bits));
            }
        }
        foreach (var g in r.Groups)
            foreach (var info in g.Accepted) weakest = Math.Min(weakest, RsaEquivalent(info.Bits));
        if (anonymous) return 0;
        if (weakest == int.MaxValue) return 0;
        var score = weakest < 512 ? 20 : weakest < 1024 ? 40 : weakest < 2048 ? 80 : weakest < 4096 ? 90 : 100;
        return export ? Math.Min(score, 40) : score;
    }

    private static ushort GroupId(string name)
    {
        foreach (var g in NamedGroupRegistry.All)
            if (g.Name == name) return g.Id;
        return 0;
    }

    internal static int CertificateStrength(CertificateFacts leaf) => leaf.KeyAlgorithm switch
    {
        "RSA" or "DSA" => leaf.KeyBits,
        "ECDSA" => RsaEquivalent(leaf.KeyBits / 2),
        "Ed25519" => 3072,
        "Ed448" => 7680,
        _ => 0,
    };

    /// <summary>NIST SP 800-57 Part 1 Table 2: symmetric-equivalent strength to RSA/DH modulus size.</summary>
    private static int RsaEquivalent(int securityBits) =>
        securityBits >= 256 ? 15360 : securityBits >= 192 ? 7680 : securityBits >= 128 ? 3072 : securityBits >= 112 ? 2048 : 1024;

    /// <summary>Strongest and weakest cipher averaged: none 0, under 128 bits 20, under 256 bits 80, 256 bits 100.</summary>
    private static int CipherScore(ScanReport r)
    {
        int? strongest = null, weakest = null;
        foreach (var s in r.Suites)
        {
            foreach (var a in s.Accepted)
            {
                var bits = a.Info.Bits;
                var score = bits == 0 ? 0 : bits < 128 ? 20 : bits < 256 ? 80 : 100;
                strongest = Math.Max(strongest ?? score, score);
                weakest = Math.Min(weakest ?? score, score);
            }
        }
        return strongest is null ? 0 : (strongest.Value + weakest!.Value) / 2;
    }

    private static List<GradeCap> Caps(ScanReport r)
    {
        var caps = new List<GradeCap>();
        void Cap(string id, Letter max, string reason, string rule = Guide) => caps.Add(new GradeCap(max, reason, rule, id));
        var all = new List<AcceptedSuite>();
        foreach (var s in r.Suites) all.AddRange(s.Accepted);

        if (r.Supports(ScanVersions.Ssl20)) Cap("ssl2", Letter.F, "SSL 2.0 is offered: it is broken beyond repair (DROWN)");
        if (all.Exists(a => a.Info.IsExport)) Cap("export-suites", Letter.F, "export-grade suites are offered (FREAK, Logjam)");
        if (all.Exists(a => a.Info.IsAnonymous)) Cap("anonymous-suites", Letter.F, "anonymous suites are offered: no authentication, so anyone in the path can impersonate the server");
        if (all.Exists(a => a.Info.IsNullCipher)) Cap("null-suites", Letter.F, "suites without encryption (NULL) are offered");
        if (all.Exists(a => a.DhBits < 1024)) Cap("dh-under-1024", Letter.F, "Diffie-Hellman parameters under 1024 bits are used (Logjam)");
        if (r.Chains.Count > 0 && r.Chains[0].Certificates.Count > 0)
        {
            var strength = CertificateStrength(r.Chains[0].Certificates[0]);
            if (strength < 1024) Cap("key-under-rsa1024", Letter.F, $"the certificate key is weaker than RSA 1024 ({r.Chains[0].Certificates[0].Key})");
            else if (strength < 2048) Cap("key-under-rsa2048", Letter.B, $"the certificate key is weaker than RSA 2048 ({r.Chains[0].Certificates[0].Key})");
            if (r.Chains[0].Certificates[0].SignatureAlgorithm.Contains("md5", StringComparison.OrdinalIgnoreCase))
                Cap("md5-signature", Letter.F, "the certificate is signed with MD5");
        }
        if (r.Supports(ProtocolVersion.Ssl30)) Cap("ssl3", Letter.C, "SSL 3.0 is offered (POODLE)");
        if (all.Exists(a => a.Info.IsRc4)) Cap("rc4", Letter.C, "RC4 suites are offered (RFC 7465 forbids them)");
        foreach (var s in r.Suites)
            if (s.Version >= ProtocolVersion.Tls11 && s.Accepted.Exists(a => a.Info.IsTripleDes))
            {
                Cap("3des", Letter.C, $"3DES is accepted with {TlsNames.OfVersion((ushort)s.Version)} (Sweet32)");
                break;
            }
        if (r.Compression == true) Cap("compression", Letter.C, "TLS compression is accepted (CRIME)");
        if (!r.Supports(ProtocolVersion.Tls12) && !r.Supports(ProtocolVersion.Tls13)) Cap("no-tls12-or-tls13", Letter.C, "neither TLS 1.2 nor TLS 1.3 is offered");
        if (r.Supports(ProtocolVersion.Tls10) || r.Supports(ProtocolVersion.Tls11))
            Cap("tls10-tls11", Letter.B, "TLS 1.0 or 1.1 is offered (deprecated by RFC 8996; SSL Labs caps at B since January 2020)");
        if (all.Count > 0 && !all.Exists(a => a.Info.IsForwardSecret)) Cap("no-forward-secrecy", Letter.B, "no suite gives forward secrecy");
        if (all.Count > 0 && !all.Exists(a => a.Info.IsAead)) Cap("no-aead", Letter.B, "no AEAD suite is offered");
        if (all.Exists(a => a.DhBits is >= 1024 and < 2048)) Cap("dh-under-2048", Letter.B, "Diffie-Hellman parameters under 2048 bits are used");
        if (r.Resumption?.ReplayedEarlyDataAccepted == true)
            Cap("0rtt-replay-accepted", Letter.B, "replayed 0-RTT data is accepted: a request sent as early data can be replayed by anyone who saw it (RFC 8446 §8)", Tessera);

        // Warnings: each caps an otherwise good configuration at A-.
        if (r.SecureRenegotiation == false) Cap("no-secure-renegotiation", Letter.AMinus, "secure renegotiation (RFC 5746) is not supported");
        if (r.FallbackScsvHonoured == false) Cap("fallback-scsv-ignored", Letter.AMinus, "TLS_FALLBACK_SCSV is ignored, so a downgrade to an older version is not detected (RFC 7507)");
        if (r.DowngradeSentinel == false)
            Cap("no-downgrade-sentinel", Letter.AMinus, "a TLS 1.3 server that falls back to TLS 1.2 does not mark its random (RFC 8446 §4.1.3)", Tessera);
        if (r.ExtendedMasterSecret == false && (r.Supports(ProtocolVersion.Tls12) || r.Supports(ProtocolVersion.Tls11) || r.Supports(ProtocolVersion.Tls10)))
            Cap("no-extended-master-secret", Letter.AMinus, "no extended master secret (RFC 7627): TLS 1.2 and older sessions are open to the triple handshake attack", Tessera);
        return caps;
    }

    /// <summary>SSL Labs' A+: an A without warnings and HSTS with a long max-age.</summary>
    private static bool APlus(ScanReport r) => r.Hsts is { Present: true, MaxAgeSeconds: >= HstsMinimum };

    /// <summary>Findings worst first: every cap, then what the grade does not count but an auditor would write down.</summary>
    public static List<Finding> Findings(ScanReport r, GradeResult grade)
    {
        var findings = new List<Finding>();
        foreach (var cap in grade.Caps)
        {
            var severity = cap.Max switch
            {
                Letter.F => Severity.Critical,
                Letter.C or Letter.D or Letter.E => Severity.High,
                Letter.B => Severity.Medium,
                _ => Severity.Low,
            };
            findings.Add(new Finding(severity, $"{char.ToUpperInvariant(cap.Reason[0])}{cap.Reason[1..]} (grade capped at {GradeResult.Text(cap.Max)}).", cap.Rule, cap.Id));
        }
        if (r.Chains.Count > 0)
        {
            var chain = r.Chains[0];
            if (chain.Verdict("webpki") is { Trusted: false } web)
                findings.Add(new Finding(Severity.High, $"The certificate chain is not trusted under the webpki profile: {web.Problem}", Guide + " (T)", "chain-untrusted"));
            if (chain.Verdict("webpki") is { Trusted: false } && chain.Verdict("rfc5280") is { Trusted: true })
                findings.Add(new Finding(Severity.Info, "The chain passes the rfc5280 profile: it is valid for a private PKI but breaks a CA/Browser Forum rule.", null, "chain-rfc5280-only"));
            if (!chain.NameMatches) findings.Add(new Finding(Severity.High, $"The certificate does not name {chain.Host}.", Guide + " (M)", "name-mismatch"));
            foreach (var cert in chain.Certificates)
                foreach (var lint in cert.IssuanceFindings)
                    findings.Add(new Finding(Severity.Info, $"Issuance rule: the certificate '{(global::Tessera.Diagnostics.PeerText.Clip(cert.Subject, 256))}' {lint} (browsers accept it; the CA should fix it at the next issue).", null, "issuance-rule"));
            if (chain.Certificates.Count > 0)
            {
                var leaf = chain.Certificates[0];
                var days = (leaf.NotAfter - r.Started).TotalDays;
                if (days >= 0 && days < 30) findings.Add(new Finding(Severity.Medium, $"The certificate expires in {(int)days} days ({leaf.NotAfter:yyyy-MM-dd}).", null, "certificate-expiring"));
                if (leaf.MustStaple && chain.Staple is null)
                    findings.Add(new Finding(Severity.High, "The certificate demands a stapled OCSP response (must-staple) but none was stapled: browsers that enforce it will refuse the site.", null, "must-staple-missing"));
                if (chain.Staple is { Status: not "good" } staple)
                    findings.Add(new Finding(Severity.High, $"The stapled OCSP response says: {staple.Status}.", null, "staple-not-good"));
                if (chain.Staple is null && leaf.OcspUrls.Count > 0)
                    findings.Add(new Finding(Severity.Info, "No OCSP response is stapled, so clients must ask the CA themselves (or skip the check).", null, "staple-missing"));
            }
            // testssl.sh's "no revocation information": nothing a client could check, so a stolen key stays usable until expiry.
            if (chain.Certificates.Count > 0 && chain.Certificates[0] is { OcspUrls.Count: 0, CrlUrls.Count: 0 } && chain.Staple is null)
                findings.Add(new Finding(Severity.Low, "The certificate names no OCSP responder and no CRL: a client has no way to learn it was revoked.", "RFC 5280 §4.2.1.13, §4.2.2.1", "no-revocation-pointer"));
            if (r.Chains.Count > 1 && !r.Chains[0].HasSameLeafAs(r.Chains[1]))
                findings.Add(new Finding(Severity.Info, "Clients without SNI get a different certificate.", null, "sni-different-certificate"));
        }
        if (!r.Supports(ProtocolVersion.Tls13)) findings.Add(new Finding(Severity.Low, "TLS 1.3 is not offered.", null, "no-tls13"));
        foreach (var s in r.Suites)
            if (s.Accepted.Exists(a => a.Info.IsCbc) && s.Version == ProtocolVersion.Tls12)
            {
                findings.Add(new Finding(Severity.Low, "CBC suites are accepted with TLS 1.2 (weak by SSL Labs' colours since 2019; Lucky 13 style attacks).", null, "cbc-tls12"));
                break;
            }
        if (r.Suites.Exists(s => s.Accepted.Exists(a => a.Info.KeyExchange == "RSA")))
            findings.Add(new Finding(Severity.Low, "Static RSA key exchange is accepted: no forward secrecy for those connections (ROBOT-style oracles live here).", null, "static-rsa"));
        if (r.Heartbeat == true) findings.Add(new Finding(Severity.Low, "The heartbeat extension is enabled; nothing needs it, and it was Heartbleed's way in.", null, "heartbeat"));
        if (r.Supports(ProtocolVersion.Tls13) && !r.Groups.Exists(g => g.Accepted.Exists(a => a.IsPostQuantum)))
            findings.Add(new Finding(Severity.Info, "No post-quantum key exchange (X25519MLKEM768): recorded traffic could be decrypted by a future quantum computer.", null, "no-post-quantum"));
        if (r.Resumption is { EarlyDataAccepted: true, ReplayedEarlyDataAccepted: false })
            findings.Add(new Finding(Severity.Info, "0-RTT is accepted, and a replay of it was refused.", null, "0rtt-accepted"));
        if (r.Hsts is { Present: true, MaxAgeSeconds: < HstsMinimum })
            findings.Add(new Finding(Severity.Low, $"HSTS max-age is {r.Hsts.MaxAgeSeconds} s, under the 180 days SSL Labs asks for an A+.", null, "hsts-short"));
        foreach (var a in r.Anomalies) findings.Add(new Finding(Severity.Info, a, null, "anomaly"));
        findings.Sort((a, b) => a.Severity.CompareTo(b.Severity));   // List.Sort is not stable; severity order is all that matters
        return findings;
    }
}
