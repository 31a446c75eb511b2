using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace RxFeed.Replay;

/// <summary>
/// Reads a stream ahead on a thread of its own into a few large blocks, so that decoding it (inflating a <c>.gz</c>)
/// overlaps with the consumer's parsing of the block before. Read-only, forward-only; an error of the source (a damaged
/// gzip body) is rethrown by <see cref="Read(Span{byte})"/> with its own type, after the blocks read before it.
/// </summary>
public sealed class ReadAheadStream : Stream
{
    private readonly Stream _source;
    private readonly BlockingCollection<byte[]> _free;
    private readonly BlockingCollection<Block> _full;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private Block _current;
    private int _offset;
    private bool _done;
    private ExceptionDispatchInfo? _error;

    /// <summary>Initializes a new instance of the <see cref="ReadAheadStream"/> class and starts reading.</summary>
    /// <param name="source">The stream to read ahead; disposed with this one.</param>
    /// <param name="blockSize">Bytes per block.</param>
    /// <param name="blocks">Blocks in flight: the memory bound is <paramref name="blocks"/> × <paramref name="blockSize"/>.</param>
    public ReadAheadStream(Stream source, int blockSize = 1 << 20, int blocks = 4)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 2);
        _source = source;
        _free = new BlockingCollection<byte[]>(new ConcurrentQueue<byte[]>(Enumerable.Range(0, blocks).Select(_ => new byte[blockSize])));
        _full = new BlockingCollection<Block>(blocks);
        _reader = new Thread(Fill) { IsBackground = true, Name = "rxfeed-read-ahead" };
        _reader.Start();
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        _error?.Throw();
        while (!_done && _offset == _current.Length)
        {
            if (_current.Bytes is { } used)
            {
                _free.Add(used);
            }

            _current = _full.Take();
            _offset = 0;
            if (_current.Error is { } error)
            {
                _error = error;
                error.Throw();
            }

            _done = _current.Length == 0;
        }

        int n = Math.Min(buffer.Length, _current.Length - _offset);
        if (n > 0)
        {
            _current.Bytes!.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
        }

        return n;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _reader.Join();
            _source.Dispose();
            _stop.Dispose();
            _free.Dispose();
            _full.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Fill()
    {
        try
        {
            while (true)
            {
                byte[] bytes = _free.Take(_stop.Token);
                int length = 0;
                int read;
                while (length < bytes.Length && (read = _source.Read(bytes, length, bytes.Length - length)) > 0)
                {
                    length += read;
                }

                _full.Add(new Block(bytes, length, null), _stop.Token);
                if (length == 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed before the end: nobody reads on.
        }
        catch (Exception error)
        {
            // Handed to the consumer in order; the reader stops here.
            try
            {
                _full.Add(new Block(null, 0, ExceptionDispatchInfo.Capture(error)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private readonly struct Block(byte[]? bytes, int length, ExceptionDispatchInfo? error)
    {
        public byte[]? Bytes { get; } = bytes;

        public int Length { get; } = length;

        public ExceptionDispatchInfo? Error { get; } = error;
    }
}
