using System.Text.Json;

namespace RxFeed.Quoting;

/// <summary>Writes each value as one line of JSON (NDJSON); an observer, so it can subscribe to a stream directly.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class NdjsonWriter<T> : IObserver<T>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly NdjsonFormat<T> _format;
    private long _lines;

    /// <summary>Initializes a new instance of the <see cref="NdjsonWriter{T}"/> class.</summary>
    /// <param name="stream">Where the lines go; left open on dispose.</param>
    /// <param name="format">Writes one value as one JSON object.</param>
    public NdjsonWriter(Stream stream, NdjsonFormat<T> format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        _stream = stream;
        _format = format;
        _writer = new Utf8JsonWriter(stream, QuotingNdjson.WriterOptions);
    }

    /// <summary>Gets the number of lines written.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Writes one line.</summary>
    /// <param name="value">The value.</param>
    public void Write(in T value)
    {
        lock (_gate)
        {
            _format(_writer, value);
            _writer.Flush();
            _stream.WriteByte((byte)'\n');
            _writer.Reset(_stream);
            _lines++;
        }
    }

    /// <inheritdoc/>
    public void OnNext(T value) => Write(value);

    /// <inheritdoc/>
    public void OnError(Exception error) => Flush();

    /// <inheritdoc/>
    public void OnCompleted() => Flush();

    /// <summary>Flushes the lines to the stream.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _writer.Flush();
            _stream.Flush();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Flush();
        _writer.Dispose();
    }
}
