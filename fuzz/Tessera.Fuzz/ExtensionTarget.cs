using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>Every extension reader in <see cref="ExtensionCodec"/>: the first byte picks the reader, the rest is the extension body.</summary>
internal sealed class ExtensionTarget : IFuzzTarget
{
    public string Name => "extensions";

    public string Description => "each extension body reader of ExtensionCodec (server_name, groups, signature schemes, key_share ×3, versions ×2, cookie, psk modes, pre_shared_key ×2, early_data, ALPN, record_size_limit, status_request, OCSP entry, certificate_authorities…)";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var body = input.AsSpan(1);
        try
        {
            switch (input[0] % 21)
            {
                case 0: ExtensionCodec.ReadServerName(body); break;
                case 1: ExtensionCodec.ReadNamedGroups(body); break;
                case 2: ExtensionCodec.ReadSignatureSchemes(body); break;
                case 3: ExtensionCodec.ReadKeyShareClientHello(body); break;
                case 4: ExtensionCodec.ReadKeyShareServerHello(body); break;
                case 5: ExtensionCodec.ReadKeyShareHelloRetryRequest(body); break;
                case 6: ExtensionCodec.ReadSupportedVersionsClientHello(body); break;
                case 7: ExtensionCodec.ReadSupportedVersionServerHello(body); break;
                case 8: ExtensionCodec.ReadCookie(body); break;
                case 9: ExtensionCodec.ReadPskKeyExchangeModes(body); break;
                case 10: ExtensionCodec.ReadPreSharedKeyClientHello(body); break;
                case 11: ExtensionCodec.ReadPreSharedKeyServerHello(body); break;
                case 12: ExtensionCodec.ReadEarlyDataNewSessionTicket(body); break;
                case 13: ExtensionCodec.ReadSignatureSchemesList(body); break;
                case 14: ExtensionCodec.ReadEcPointFormats(body); break;
                case 15: ExtensionCodec.ReadEmpty(body, ExtensionType.ExtendedMasterSecret); break;
                case 16: ExtensionCodec.ReadAlpn(body); break;
                case 17: ExtensionCodec.ReadRecordSizeLimit(body); break;
                case 18: ExtensionCodec.ReadStatusRequest(body); break;
                case 19: ExtensionCodec.ReadOcspResponseFromCertificateEntry(body); break;
                default: ExtensionCodec.ReadCertificateAuthorities(body); break;
            }
        }
        catch (TlsException)
        {
        }
    }
}
