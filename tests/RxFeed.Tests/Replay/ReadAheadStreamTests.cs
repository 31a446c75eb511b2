using System.IO.Compression;
using RxFeed.Replay;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Replay;

/// <summary>The reader thread that inflates a <c>.gz</c> ahead of the parser: same bytes, same errors, nothing left running.</summary>
public sealed class ReadAheadStreamTests : TempDirectory
{
    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(7, 3, 5)]
    [InlineData(4096, 4, 1000)]
    [InlineData(1 << 16, 2, 1 << 20)]
    public void Read_AnyBlockAndReadSizes_GivesEveryByteInOrder(int blockSize, int blocks, int readSize)
    {
        byte[] data = new byte[300_001];
        new Random(17).NextBytes(data);
        using var ahead = new ReadAheadStream(new MemoryStream(data), blockSize, blocks);
        var copy = new MemoryStream();
        byte[] buffer = new byte[readSize];
        int n;
        while ((n = ahead.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        copy.ToArray().Should().Equal(data);
        ahead.Read(buffer).Should().Be(0, "the end stays the end");
    }

    [Fact]
    public void Read_DamagedGzip_ThrowsItsOwnErrorAfterTheGoodBytesAndAgainOnTheNextRead()
    {
        byte[] data = new byte[2_000_000];
        new Random(3).NextBytes(data);
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(data);
        }

        byte[] damaged = gz.ToArray();
        for (int i = damaged.Length / 2; i < (damaged.Length / 2) + 64; i++)
        {
            damaged[i] ^= 0x5A;
        }

        using var ahead = new ReadAheadStream(new GZipStream(new MemoryStream(damaged), CompressionMode.Decompress), 1 << 16, 3);
        byte[] buffer = new byte[1 << 15];
        long good = 0;
        Action readAll = () =>
        {
            int n;
            while ((n = ahead.Read(buffer)) > 0)
            {
                buffer.AsSpan(0, n).SequenceEqual(data.AsSpan((int)good, n)).Should().BeTrue("bytes before the damage are the original ones");
                good += n;
            }
        };
        readAll.Should().Throw<InvalidDataException>();
        good.Should().BeGreaterThan(0).And.BeLessThan(data.Length);
        ahead.Invoking(a => a.Read(buffer)).Should().Throw<InvalidDataException>("a failed stream does not wait for blocks that never come");
    }

    [Fact]
    public void Dispose_BeforeTheEnd_StopsTheReaderAndDisposesTheSource()
    {
        var source = new TrackingStream(new byte[10_000_000]);
        var ahead = new ReadAheadStream(source, 1 << 12, 2);
        ahead.Read(new byte[100]).Should().Be(100);
        ahead.Dispose();
        source.Disposed.Should().BeTrue();
        source.PositionAtDispose.Should().BeLessThan(10_000_000, "the reader stopped with the consumer instead of reading the whole source");
    }

    [Fact]
    public void Cursor_OverALargeGzipFile_ReadsTheSameLinesAsThePlainFileAndReportsItsPosition()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 200_000; i++)
        {
            text.Append(1_000_000 + i).Append(" {\"i\":").Append(i).Append("}\n");
        }

        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        string plain = Write("big.txt", bytes);
        string gz = Write("big.txt.gz", bytes, gzip: true);
        foreach (string path in new[] { plain, gz })
        {
            using RecordingCursor cursor = RecordingCursor.OpenFile(path);
            int count = 0;
            while (cursor.MoveNext())
            {
                cursor.ReceivedNs.Should().Be(1_000_000 + count);
                cursor.Text.SequenceEqual("{\"i\":" + count + "}").Should().BeTrue();
                count++;
            }

            count.Should().Be(200_000);
            cursor.Position.Should().Be(new FileInfo(path).Length, "at the end the whole file was read");
        }
    }

    private sealed class TrackingStream(byte[] data) : MemoryStream(data)
    {
        public bool Disposed { get; private set; }

        public long PositionAtDispose { get; private set; }

        protected override void Dispose(bool disposing)
        {
            if (!Disposed)
            {
                PositionAtDispose = Position;
            }

            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
