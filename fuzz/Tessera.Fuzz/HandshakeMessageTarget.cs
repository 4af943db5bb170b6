using Tessera.Wire;

namespace Tessera.Fuzz;

/// <summary>
/// Every handshake-message decoder on its own: the input's first byte picks the decoder, the rest is the body. The
/// state machine only reaches a decoder in the right state; here each one sees everything.
/// </summary>
internal sealed class HandshakeMessageTarget : IFuzzTarget
{
    public string Name => "handshake";

    public string Description => "each handshake message decoder (ClientHello, ServerHello, EncryptedExtensions, Certificate 1.3/1.2, CertificateRequest 1.3/1.2, CertificateVerify, NewSessionTicket, Finished, KeyUpdate, EndOfEarlyData, ServerKeyExchange, ClientKeyExchange)";

    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var body = input.AsSpan(1);
        try
        {
            switch (input[0] % 14)
            {
                case 0: ClientHello.Decode(body); break;
                case 1: ServerHello.Decode(body); break;
                case 2: EncryptedExtensions.Decode(body); break;
                case 3: CertificateMessage.Decode(body); break;
                case 4: Certificate12.Decode(body); break;
                case 5: CertificateRequest.Decode(body); break;
                case 6: CertificateRequest12.Decode(body); break;
                case 7: CertificateVerifyView.Read(body); break;
                case 8:
                    // The in-place reader the client uses, then the decoder traces use (each reached whatever the other says).
                    try { NewSessionTicketView.Read(body); } catch (TlsException) { }
                    NewSessionTicket.Decode(body);
                    break;
                case 9: Finished.Decode(body, 32); break;
                case 10: KeyUpdate.Decode(body); break;
                case 11: EndOfEarlyData.Decode(body); break;
                case 12: ServerKeyExchangeEcdhe.Decode(body); break;
                default: ClientKeyExchangeEcdhe.Decode(body); break;
            }
        }
        catch (TlsException)
        {
        }
    }
}
