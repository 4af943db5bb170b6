using Tessera.Connection;
using Tessera.Tests.Support;
using Tessera.Wire;
using Xunit;

namespace Tessera.Tests.Records;

/// <summary>
/// The record path allocates nothing once a connection is established: sealing, framing, opening and reading
/// 16 KiB records reuse pooled buffers and cached AEAD instances. Measured in bytes, not time.
/// </summary>
public sealed class SteadyStateAllocationTests
{
    [Theory]
    [InlineData(CipherSuite.TlsAes128GcmSha256)]
    [InlineData(CipherSuite.TlsAes256GcmSha384)]
    [InlineData(CipherSuite.TlsChaCha20Poly1305Sha256)]
    [InlineData(CipherSuite.TlsEcdheEcdsaWithAes128GcmSha256)]
    [InlineData(CipherSuite.TlsEcdheEcdsaWithChaCha20Poly1305Sha256)]
    public void SixteenKiBRecords_AllocateNothing(CipherSuite suite)
    {
        var (c, s) = Pair.Connect(Pair.Client() with { CipherSuites = [suite] }, Pair.Server(Pair.Pki.Shared(KeyKind.EcdsaP256)) with { TicketCount = 0 });
        using (c)
        using (s)
        {
            var wire = new byte[64 * 1024];
            var data = new byte[16384];
            var sink = new byte[16384];
            void RoundTrip()
            {
                c.Write(data);
                while (c.HasPendingOutput) s.ReceiveTls(wire.AsSpan(0, c.DrainTls(wire)));
                while (s.AvailablePlaintext > 0) s.Read(sink);
            }
            for (var i = 0; i < 500; i++) RoundTrip();   // warm up: pools filled, methods compiled
            const int records = 2000;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < records; i++) RoundTrip();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < records, $"{allocated} bytes allocated for {records} records of {suite}");
        }
    }
}
