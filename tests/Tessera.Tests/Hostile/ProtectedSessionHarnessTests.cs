using Tessera.Fuzz;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Hostile;

/// <summary>
/// The protected-session fuzz targets are only worth their CPU if an edit really reaches the receiver as a validly
/// sealed record: these show that an untouched session and an identity rewrite both complete, that a changed byte is
/// judged by the handshake (decrypt_error, not bad_record_mac), and that inserted and dropped records arrive or vanish.
/// </summary>
public sealed class ProtectedSessionHarnessTests
{
    // What FuzzSession's client and server write: "GET / HTTP/1.1\r\n\r\n" + "after the update", and the response
    // + "after the update too".
    private const long ToServer = 18 + 16;
    private const long ToClient = 38 + 20;
    private static readonly FuzzSessionOutcome Clean = new("closed", "closed", ToClient, ToServer);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_Session_Without_Edits_And_One_Rewritten_To_Itself_Both_Complete(bool toServer)
    {
        var seen = new List<(ContentType, byte[])>();
        Assert.Equal(Clean, FuzzSession.Run(toServer, [], seen));
        Assert.True(seen.Count >= 5, $"only {seen.Count} protected records seen");
        var identity = new List<RecordEdit>();
        for (var i = 0; i < seen.Count; i++) identity.Add(new RecordEdit(i, RecordEditKind.Replace, seen[i].Item2));
        Assert.Equal(Clean, FuzzSession.Run(toServer, identity));
    }

    /// <summary>
    /// The committed seed that rewrites every record to what it held when the seed was made (in another process)
    /// still completes the session: the session is byte-for-byte deterministic, so afl-fuzz's seeds reach the end.
    /// </summary>
    [Theory]
    [InlineData("server-protected", true)]
    [InlineData("client-protected", false)]
    public void The_Committed_Whole_Session_Seed_Still_Completes(string target, bool toServer)
    {
        var seed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", target, "tessera-all"));
        Assert.Equal(Clean, FuzzSession.Run(toServer, RecordEdit.Parse(seed)));
    }

    [Fact]
    public void A_Changed_Server_Finished_Reaches_The_Client_As_A_Valid_Record()
    {
        var seen = new List<(ContentType, byte[])>();
        FuzzSession.Run(rewriteToServer: false, [], seen);
        var flight = seen[0].Item2;
        Assert.Equal(HandshakeType.EncryptedExtensions, (HandshakeType)flight[0]);
        flight[^1] ^= 1;   // the last byte of the server's Finished verify_data
        var outcome = FuzzSession.Run(rewriteToServer: false, [new RecordEdit(0, RecordEditKind.Replace, flight)]);
        Assert.Equal(nameof(AlertDescription.DecryptError), outcome.Client);
    }

    [Fact]
    public void An_Inserted_KeyUpdate_And_Data_Record_Arrive_And_The_Session_Goes_On()
    {
        var edits = new[]
        {
            RecordEdit.Insert(1, ContentType.Handshake, [24, 0, 0, 1, 1]),
            RecordEdit.Insert(1, ContentType.ApplicationData, "extra"u8),
        };
        Assert.Equal(Clean with { ServerReceived = ToServer + 5 }, FuzzSession.Run(rewriteToServer: true, edits));
    }

    [Fact]
    public void A_Dropped_Record_Never_Arrives()
    {
        var outcome = FuzzSession.Run(rewriteToServer: true, [new RecordEdit(1, RecordEditKind.Drop, [])]);
        Assert.Equal(Clean with { ServerReceived = 16 }, outcome);
    }

    [Fact]
    public void Edits_Parse_From_Their_Encoding_And_A_Short_Last_One_Takes_What_Is_There()
    {
        var edit = RecordEdit.Insert(3, ContentType.Alert, [1, 90]);
        byte[] input = [.. edit.Encode(), 7, 2, 0, 50, 0xAA];
        var parsed = RecordEdit.Parse(input);
        Assert.Equal(2, parsed.Count);
        Assert.Equal((3, RecordEditKind.Insert), (parsed[0].Index, parsed[0].Kind));
        Assert.Equal(edit.Data, parsed[0].Data);
        Assert.Equal((7, RecordEditKind.Retype), (parsed[1].Index, parsed[1].Kind));
        Assert.Equal([0xAA], parsed[1].Data);
    }
}
