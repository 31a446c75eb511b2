using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using RxFeed.Diagnostics;

namespace RxFeed.Output;

/// <summary>Appends one line for <paramref name="value"/> to <paramref name="buffer"/>, newline included.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="buffer">The writer's batch buffer.</param>
/// <param name="value">The value.</param>
public delegate void LineFormat<T>(ArrayBufferWriter<byte> buffer, in T value);

/// <summary>Writes one value as one JSON object (one NDJSON line without its newline).</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="writer">The JSON writer.</param>
/// <param name="value">The value.</param>
public delegate void NdjsonFormat<T>(Utf8JsonWriter writer, in T value);

/// <summary>What an <see cref="OutputWriter{T}"/> does with a value when its queue is full.</summary>
public enum OutputOverflow
{
    /// <summary>Drop and count it: the live path, where the producer is the socket and must never wait.</summary>
    Drop,

    /// <summary>Make the producer wait: a replay, which has no socket to protect and must lose nothing.</summary>
    Wait,
}

/// <summary>
/// A file output (<c>--ticks-out</c>, <c>--record</c>, …) off the producer's thread: <see cref="OnNext"/> only puts the value
/// in a bounded queue; a task of its own formats the lines in batches and writes them, in the order given. When the disk
/// cannot keep up long enough to fill the queue, further values are counted in <see cref="Drops"/> (and the
/// <c>rxfeed.output.drops</c> meter) instead of stalling the feed or growing memory without bound — or, with
/// <see cref="OutputOverflow.Wait"/>, the producer waits.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class OutputWriter<T> : IObserver<T>, IDisposable
{
    /// <summary>The default queue bound: a quarter of a second of a very busy feed (1 M lines/s), about 25 MB of ticks.</summary>
    public const int DefaultCapacity = 1 << 18;

    private const int BatchBytes = 1 << 16;
    private readonly Channel<T> _queue;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly LineFormat<T> _format;
    private readonly OutputOverflow _overflow;
    private readonly ArrayBufferWriter<byte> _buffer = new(BatchBytes * 2);
    private readonly Task _drain;
    private long _lines;
    private long _drops;
    private Exception? _error;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="OutputWriter{T}"/> class and starts its writing task.</summary>
    /// <param name="stream">Where the lines go.</param>
    /// <param name="format">Formats one line.</param>
    /// <param name="capacity">Values that may wait for the disk before new ones are dropped and counted.</param>
    /// <param name="ownsStream">Whether disposing the writer disposes <paramref name="stream"/>.</param>
    /// <param name="overflow">Drop and count, or wait, when the queue is full.</param>
    public OutputWriter(Stream stream, LineFormat<T> format, int capacity = DefaultCapacity, bool ownsStream = false, OutputOverflow overflow = OutputOverflow.Drop)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _stream = stream;
        _format = format;
        _ownsStream = ownsStream;
        _overflow = overflow;
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
        });
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Gets the lines written so far.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Gets the values lost because the queue was full (the disk too slow for too long).</summary>
    public long Drops => Interlocked.Read(ref _drops);

    /// <summary>Gets why the file could not be written, once it could not (<see cref="Dispose"/> then throws it).</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <inheritdoc/>
    public void OnNext(T value)
    {
        if (_queue.Writer.TryWrite(value))
        {
            return;
        }

        if (_overflow == OutputOverflow.Wait && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _queue.Writer.WriteAsync(value).AsTask().GetAwaiter().GetResult();
                return;
            }
            catch (ChannelClosedException)
            {
                // The file failed (or the writer was disposed) while the producer waited: the value is lost, not waited for.
            }
        }

        CountDrops(1);
    }

    /// <inheritdoc/>
    public void OnError(Exception error)
    {
    }

    /// <inheritdoc/>
    public void OnCompleted()
    {
    }

    /// <summary>Writes everything queued so far, flushes the file and stops the writing task; later values are dropped and counted.</summary>
    /// <exception cref="IOException">Writing the file failed (the values from then on were counted in <see cref="Drops"/>).</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            _drain.GetAwaiter().GetResult();
        }
        finally
        {
            if (_ownsStream)
            {
                _stream.Dispose();
            }
        }
    }

    private async Task DrainAsync()
    {
        ChannelReader<T> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out T? value))
                {
                    _format(_buffer, value);
                    Interlocked.Increment(ref _lines);
                    if (_buffer.WrittenCount >= BatchBytes)
                    {
                        WriteBatch();
                    }
                }

                // The queue ran dry: what was given so far reaches the file now, not at the next batch.
                WriteBatch();
            }

            WriteBatch();
            _stream.Flush();
        }
        catch (Exception error)
        {
            // The file cannot be written (a full disk, …) and nothing more will be: close the queue so no producer waits for
            // this task again (Wait) or fills the queue for nothing; what it held and every later value is counted as dropped,
            // and Dispose reports the error.
            Volatile.Write(ref _error, error);
            _queue.Writer.TryComplete(error);
            long lost = 0;
            while (reader.TryRead(out _))
            {
                lost++;
            }

            CountDrops(lost);
            throw;
        }
    }

    private void CountDrops(long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _drops, count);
            RxFeedMeters.OutputDrops.Add(count);
        }
    }

    private void WriteBatch()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}

/// <summary>Opens <see cref="OutputWriter{T}"/>s.</summary>
public static class OutputWriter
{
    /// <summary>Opens <paramref name="path"/> (created or truncated) for NDJSON lines.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="format">Writes one value as one JSON object.</param>
    /// <param name="overflow">Drop and count, or wait, when the queue is full.</param>
    /// <returns>The writer, owning the file.</returns>
    public static OutputWriter<T> Ndjson<T>(string path, NdjsonFormat<T> format, OutputOverflow overflow = OutputOverflow.Drop) =>
        new(OpenFile(path), NdjsonLines(format), OutputWriter<T>.DefaultCapacity, ownsStream: true, overflow);

    /// <summary>Opens <paramref name="path"/> (created or truncated) for lines of a format of its own.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="format">Appends one line.</param>
    /// <param name="overflow">Drop and count, or wait, when the queue is full.</param>
    /// <returns>The writer, owning the file.</returns>
    public static OutputWriter<T> Open<T>(string path, LineFormat<T> format, OutputOverflow overflow = OutputOverflow.Drop) =>
        new(OpenFile(path), format, OutputWriter<T>.DefaultCapacity, ownsStream: true, overflow);

    /// <summary>NDJSON lines over <paramref name="stream"/> (left open).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="stream">Where the lines go.</param>
    /// <param name="format">Writes one value as one JSON object.</param>
    /// <returns>The writer.</returns>
    public static OutputWriter<T> Ndjson<T>(Stream stream, NdjsonFormat<T> format) => new(stream, NdjsonLines(format));

    /// <summary>Opens a file for an output: created or truncated, readable by others while it grows, unbuffered (batches are written whole).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The stream.</returns>
    public static FileStream OpenFile(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private static LineFormat<T> NdjsonLines<T>(NdjsonFormat<T> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        Utf8JsonWriter? json = null;
        return (ArrayBufferWriter<byte> buffer, in T value) =>
        {
            // One JSON writer for the whole file, pointed at the batch buffer again for each line (Reset is cheap).
            if (json is null)
            {
                json = new Utf8JsonWriter(buffer, NdjsonText.WriterOptions);
            }
            else
            {
                json.Reset(buffer);
            }

            format(json, value);
            json.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
        };
    }
}
