using System.Buffers;
using System.Text;
using RxFeed.Connection;
using RxFeed.Output;
using RxFeed.Replay;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Output;

/// <summary>
/// <see cref="OutputWriter{T}"/>: order, the bounded queue under a disk that stops (a stream gated by an event), drop and
/// wait on overflow, flushing on dispose, and <see cref="RecordingWriter"/> lines read back by <see cref="RecordingCursor"/>.
/// </summary>
public sealed class OutputWriterTests : TempDirectory
{
    // Only a guard against a hang when the writer is broken; every wait returns as soon as its event is set.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public void OnNext_ManyValues_LinesInTheOrderGiven()
    {
        var stream = new GatedStream(open: true);
        var writer = new OutputWriter<int>(stream, Line, capacity: 16, overflow: OutputOverflow.Wait);

        for (int i = 0; i < 20_000; i++)
        {
            writer.OnNext(i);
        }

        writer.Dispose();

        stream.Lines().Should().Equal(Enumerable.Range(0, 20_000).Select(Text));
        (writer.Lines, writer.Drops).Should().Be((20_000L, 0L));
    }

    [Fact]
    public async Task Drop_DiskBlocked_OnNextNeverWaitsAndTheFileHoldsExactlyTheFirstLinesInOrder()
    {
        const int Capacity = 4, Given = 50;
        var stream = new GatedStream(open: false);
        var writer = new OutputWriter<int>(stream, Line, capacity: Capacity, overflow: OutputOverflow.Drop);

        // Value 0 is taken from the queue and its write blocks; from then on only the queue holds values.
        writer.OnNext(0);
        stream.WriteStarted.Wait(HangGuard).Should().BeTrue("the writing task writes the first line");
        Task producer = Task.Run(() =>
        {
            for (int i = 1; i < Given; i++)
            {
                writer.OnNext(i);
            }
        });

        await producer.WaitAsync(HangGuard); // OnNext with Drop never waits for the disk: a wait would time out here
        writer.Drops.Should().Be(Given - 1 - Capacity, "the queue holds the capacity; the rest are dropped and counted");
        stream.Release();
        writer.Dispose();

        (writer.Lines + writer.Drops).Should().Be(Given);
        writer.Lines.Should().Be(1 + Capacity);
        stream.Lines().Should().Equal(Enumerable.Range(0, 1 + Capacity).Select(Text));
    }

    [Fact]
    public async Task Wait_DiskBlocked_ProducerWaitsUntilReleasedAndNothingIsLost()
    {
        const int Capacity = 4, Given = 40;
        var stream = new GatedStream(open: false);
        var writer = new OutputWriter<int>(stream, Line, capacity: Capacity, overflow: OutputOverflow.Wait);
        writer.OnNext(0);
        stream.WriteStarted.Wait(HangGuard).Should().BeTrue("the writing task writes the first line");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producer = new Thread(() =>
        {
            for (int i = 1; i < Given; i++)
            {
                writer.OnNext(i);
            }

            done.SetResult();
        })
        { IsBackground = true };

        producer.Start();

        // The producer either finishes (a bug: the queue only holds Capacity values) or blocks in OnNext.
        SpinWait.SpinUntil(() => done.Task.IsCompleted || (producer.ThreadState & ThreadState.WaitSleepJoin) != 0, HangGuard).Should().BeTrue();
        done.Task.IsCompleted.Should().BeFalse("with Wait the producer waits while the disk is blocked and the queue is full");
        writer.Drops.Should().Be(0);
        stream.Release();
        await done.Task.WaitAsync(HangGuard); // the producer goes on once the disk writes again
        writer.Dispose();

        (writer.Lines, writer.Drops).Should().Be(((long)Given, 0L));
        stream.Lines().Should().Equal(Enumerable.Range(0, Given).Select(Text));
    }

    [Fact]
    public void Dispose_ValuesQueued_WritesThemAllAndFlushes()
    {
        var stream = new GatedStream(open: false);
        var writer = new OutputWriter<int>(stream, Line, capacity: 1000, overflow: OutputOverflow.Drop);
        writer.OnNext(0);
        stream.WriteStarted.Wait(HangGuard).Should().BeTrue();
        for (int i = 1; i < 1000; i++)
        {
            writer.OnNext(i);
        }

        stream.Flushes.Should().Be(0);
        stream.Release();
        writer.Dispose();

        stream.Lines().Should().Equal(Enumerable.Range(0, 1000).Select(Text));
        stream.Flushes.Should().BeGreaterThan(0, "Dispose flushes the file");
        writer.OnNext(1000);
        (writer.Lines, writer.Drops).Should().Be((1000L, 1L), "a value after Dispose is dropped and counted");
    }

    [Fact]
    public void Ndjson_Path_DisposeLeavesEveryTickInTheFile()
    {
        string path = Path.Combine(Dir, "ticks.ndjson");
        BookTicker[] ticks = [.. Enumerable.Range(1, 500).Select(i => new BookTicker("ADAUSDT", i, 0.3581m + (i / 10000m), 100m, 0.3590m + (i / 10000m), 250m, 1_000 + i, false))];
        var writer = OutputWriter.Ndjson<BookTicker>(path, NdjsonText.WriteTick);

        foreach (BookTicker t in ticks)
        {
            writer.OnNext(t);
        }

        writer.Dispose();

        string[] lines = File.ReadAllLines(path);
        lines.Should().HaveCount(500);
        lines[0].Should().Be("""{"ts":1001,"s":"ADAUSDT","u":1,"b":"0.3582","B":"100","a":"0.3591","A":"250","inverted":false}""");
        lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("u").GetInt64()).Should().Equal(Enumerable.Range(1, 500).Select(i => (long)i));
    }

    [Theory]
    [InlineData(OutputOverflow.Wait)]
    [InlineData(OutputOverflow.Drop)]
    public async Task DiskFails_ProducerNeverHangsAndDisposeReportsTheError(OutputOverflow overflow)
    {
        var writer = new OutputWriter<int>(new FailingStream(), Line, capacity: 2, overflow: overflow);

        // A full queue whose writing task has died: with Wait, OnNext must not wait for a reader that will never come.
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                writer.OnNext(i);
            }
        });
        await producer.WaitAsync(HangGuard);

        writer.Drops.Should().BeGreaterThan(0, "values that can no longer be written are counted as lost");
        FluentActions.Invoking(writer.Dispose).Should().Throw<IOException>().WithMessage("*disk full*");
    }

    [Theory]
    [InlineData("rec.txt")]
    [InlineData("rec.txt.gz")]
    public void RecordingWriter_Frames_ReadBackByRecordingCursorToTheSameFramesAndStamps(string name)
    {
        string path = Path.Combine(Dir, name);
        ReceivedFrame[] frames =
        [
            new("""{"stream":"adausdt@bookTicker","data":{"u":1,"s":"ADAUSDT","b":"0.3581","B":"100","a":"0.3582","A":"250"}}""", 1_723_161_254_024_619_568),
            new("""{"result":null,"id":1}""", 1_723_161_254_024_619_568),
            new("""{"s":"ÅÄÖ€","note":"ünïcødé 🚀"}""", 1_723_161_254_100_000_001),
            new("not json at all", 1_723_161_255_000_000_000),
            .. Enumerable.Range(0, 3000).Select(i => new ReceivedFrame($$"""{"u":{{i}},"s":"ETHUSDT","b":"2500.{{i}}","B":"1","a":"2501","A":"2"}""", 1_723_161_256_000_000_000 + i)),
        ];
        OutputWriter<ReceivedFrame> writer = RecordingWriter.Create(path);

        foreach (ReceivedFrame f in frames)
        {
            writer.OnNext(f);
        }

        writer.Dispose();

        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            File.ReadAllBytes(path).Take(2).Should().Equal((byte)0x1f, (byte)0x8b);
        }

        var read = new List<RecordedFrame>();
        using (RecordingCursor cursor = RecordingCursor.OpenFile(path))
        {
            while (cursor.MoveNext())
            {
                read.Add(cursor.Current);
            }
        }

        read.Should().Equal(frames.Select(f => new RecordedFrame(f.ReceivedNs, f.Text)));
        (writer.Lines, writer.Drops).Should().Be(((long)frames.Length, 0L));
    }

    private static string Text(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Line(ArrayBufferWriter<byte> buffer, in int value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Text(value) + "\n");
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    /// <summary>A stream whose every write fails: a full disk.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }

    /// <summary>A stream whose writes block while its gate is closed: a disk that stopped.</summary>
    private sealed class GatedStream(bool open) : Stream
    {
        private readonly ManualResetEventSlim _gate = new(open);
        private readonly MemoryStream _written = new();
        private int _flushes;

        public ManualResetEventSlim WriteStarted { get; } = new();

        public int Flushes => Volatile.Read(ref _flushes);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _gate.Set();

        public string[] Lines()
        {
            lock (_written)
            {
                return Encoding.ASCII.GetString(_written.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            WriteStarted.Set();
            _gate.Wait(HangGuard).Should().BeTrue("the test releases the disk");
            lock (_written)
            {
                _written.Write(buffer);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush() => Interlocked.Increment(ref _flushes);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gate.Dispose();
                WriteStarted.Dispose();
                _written.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
