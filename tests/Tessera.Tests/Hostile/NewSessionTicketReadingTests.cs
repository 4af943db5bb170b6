using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>
/// The client's in-place reader of NewSessionTicket (RFC 8446 §4.6.1): it reads what the decoder reads, takes
/// early_data's limit and ignores other extensions, and refuses what the decoder refuses.
/// </summary>
public sealed class NewSessionTicketReadingTests
{
    private static byte[] Body(uint lifetime, byte[] ticket, params TlsExtension[] extensions) =>
        new NewSessionTicket { LifetimeSeconds = lifetime, AgeAdd = 0x01020304, Nonce = [7, 8], Ticket = ticket, Extensions = [.. extensions] }
            .Encode().Body.ToArray();

    [Fact]
    public void A_Ticket_Reads_As_The_Decoder_Reads_It_With_Early_Datas_Limit()
    {
        var body = Body(3600, [1, 2, 3, 4], new TlsExtension((ExtensionType)0x4a4a, []), new TlsExtension(ExtensionType.EarlyData, [0, 0, 0x04, 0xd2]));
        var view = NewSessionTicketView.Read(body);
        var decoded = NewSessionTicket.Decode(body);
        Assert.Equal(decoded.LifetimeSeconds, view.LifetimeSeconds);
        Assert.Equal(decoded.AgeAdd, view.AgeAdd);
        Assert.Equal(decoded.Nonce, view.Nonce.ToArray());
        Assert.Equal(decoded.Ticket, view.Ticket.ToArray());
        Assert.Equal(1234u, view.MaxEarlyData);
        Assert.Equal(0u, NewSessionTicketView.Read(Body(3600, [1])).MaxEarlyData);
    }

    [Fact]
    public void What_The_Decoder_Refuses_The_View_Refuses_With_The_Same_Alert()
    {
        var cases = new (string Why, byte[] Body, AlertDescription Alert)[]
        {
            ("a lifetime over 7 days", Body(604801, [1]), AlertDescription.IllegalParameter),
            ("an empty ticket", Body(60, []), AlertDescription.DecodeError),
            ("an extension twice", Body(60, [1], new TlsExtension(ExtensionType.EarlyData, [0, 0, 0, 1]), new TlsExtension(ExtensionType.EarlyData, [0, 0, 0, 1])), AlertDescription.IllegalParameter),
            ("no extensions block", Body(60, [1])[..^2], AlertDescription.DecodeError),
            ("a byte after the extensions", [.. Body(60, [1]), 0], AlertDescription.DecodeError),
        };
        foreach (var (why, body, alert) in cases)
        {
            var viewed = Assert.Throws<TlsException>(() => NewSessionTicketView.Read(body));
            var decoded = Assert.Throws<TlsException>(() => NewSessionTicket.Decode(body));
            Assert.True(alert == viewed.Alert, $"{why}: the view said {viewed.Alert}");
            Assert.True(alert == decoded.Alert, $"{why}: the decoder said {decoded.Alert}");
        }
        // early_data's body is a uint32 and nothing else (the view reads it; the decoder leaves it to its caller).
        Assert.Equal(AlertDescription.DecodeError,
            Assert.Throws<TlsException>(() => NewSessionTicketView.Read(Body(60, [1], new TlsExtension(ExtensionType.EarlyData, [0, 0, 1])))).Alert);
    }
}
