using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>Every extension reader of the extension codecs (Wire/Extensions): the first byte picks the reader, the rest is the extension body.</summary>
internal sealed class ExtensionTarget : IFuzzTarget
{
    public string Name => "extensions";

    public string Description => "each extension body reader of the extension codecs (server_name, groups, signature schemes, key_share ×3, versions ×2, cookie, psk modes, pre_shared_key ×2, early_data, ALPN, record_size_limit, status_request, OCSP entry, certificate_authorities…)";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var body = input.AsSpan(1);
        try
        {
            switch (input[0] % 21)
            {
                case 0: ServerNameExtension.Read(body); break;
                case 1: SupportedGroupsExtension.Read(body); break;
                case 2: SignatureAlgorithmsExtension.Read(body); break;
                case 3: KeyShareExtension.ReadClientHello(body); break;
                case 4: KeyShareExtension.ReadServerHello(body); break;
                case 5: KeyShareExtension.ReadHelloRetryRequest(body); break;
                case 6: SupportedVersionsExtension.ReadClientHello(body); break;
                case 7: SupportedVersionsExtension.ReadServerHello(body); break;
                case 8: CookieExtension.Read(body); break;
                case 9: PskKeyExchangeModesExtension.Read(body); break;
                case 10: PreSharedKeyExtension.ReadClientHello(body); break;
                case 11: PreSharedKeyExtension.ReadServerHello(body); break;
                case 12: EarlyDataExtension.ReadNewSessionTicket(body); break;
                case 13: SignatureAlgorithmsExtension.ReadList(body); break;
                case 14: EcPointFormatsExtension.Read(body); break;
                case 15: TlsExtension.ExpectEmpty(body, ExtensionType.ExtendedMasterSecret); break;
                case 16: AlpnExtension.Read(body); break;
                case 17: RecordSizeLimitExtension.Read(body); break;
                case 18: StatusRequestExtension.Read(body); break;
                case 19: StatusRequestExtension.ReadCertificateEntry(body); break;
                default: CertificateAuthoritiesExtension.Read(body); break;
            }
        }
        catch (TlsException)
        {
        }
    }
}
