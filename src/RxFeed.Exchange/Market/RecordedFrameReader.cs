using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RxFeed.Exchange.Sessions;
using RxFeed.Replay;

namespace RxFeed.Exchange.Market;

/// <summary>
/// Reads recorded files (<c>.gz</c> or plain; lines end at <c>\n</c>, a <c>\r</c> before it is dropped; a line is
/// <c>&lt;ns&gt; &lt;frame&gt;</c> or a bare frame) and yields the frames a client could subscribe to: combined
/// frames by their <c>stream</c>, raw book tickers by <c>&lt;symbol&gt;@bookTicker</c>. Anything else is skipped.
/// </summary>
internal static class RecordedFrameReader
{
    /// <summary>Reads the files in order as one stream.</summary>
    /// <param name="files">The files.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The servable frames.</returns>
    public static async IAsyncEnumerable<RecordedFrame> ReadAsync(IEnumerable<string> files, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lastNs = 0;
        foreach (var file in files)
        {
            var stream = await OpenAsync(file, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 1 << 16));
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    var frames = new List<RecordedFrame>();
                    while (TryReadLine(ref buffer, out var line))
                    {
                        if (TryParseLine(line, ref lastNs, out var frame))
                        {
                            frames.Add(frame);
                        }
                    }

                    if (result.IsCompleted && buffer.Length > 0)
                    {
                        if (TryParseLine(buffer.ToArray(), ref lastNs, out var frame))
                        {
                            frames.Add(frame);
                        }

                        buffer = buffer.Slice(buffer.End);
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    foreach (var frame in frames)
                    {
                        yield return frame;
                    }

                    if (result.IsCompleted)
                    {
                        break;
                    }
                }

                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Parses one line (without its <c>\n</c>).</summary>
    /// <param name="line">The line bytes.</param>
    /// <param name="lastNs">The last receive time; updated when the line carries one.</param>
    /// <param name="frame">The frame.</param>
    /// <returns><see langword="true"/> when the line is a servable frame.</returns>
    public static bool TryParseLine(ReadOnlyMemory<byte> line, ref long lastNs, out RecordedFrame frame)
    {
        // The line format is the library's (RecordingCursor): one reading of timestamps, blanks and \r for both sides.
        frame = default;
        if (!RecordingCursor.TrySplitLine(line.Span, out long? receivedNs, out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        if (receivedNs is long ns)
        {
            lastNs = ns;
        }

        line.Span.Overlaps(payload, out int offset);
        line = line.Slice(offset, payload.Length);
        return TryClassify(line, lastNs, out frame);
    }

    private static bool TryClassify(ReadOnlyMemory<byte> frameBytes, long ns, out RecordedFrame frame)
    {
        frame = default;
        string? stream = null, eventType = null, symbol = null;
        var data = default(ReadOnlyMemory<byte>);
        bool hasU = false, hasB = false, hasA = false;
        try
        {
            var reader = new Utf8JsonReader(frameBytes.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (name)
                {
                    case "stream" when reader.TokenType == JsonTokenType.String: stream = reader.GetString(); break;
                    case "e" when reader.TokenType == JsonTokenType.String: eventType = reader.GetString(); break;
                    case "s" when reader.TokenType == JsonTokenType.String: symbol = reader.GetString(); break;
                    case "u": hasU = true; break;
                    case "b": hasB = true; break;
                    case "a": hasA = true; break;
                    default: break;
                }

                reader.Skip();
                if (name == "data")
                {
                    var end = (int)reader.BytesConsumed;
                    data = frameBytes[start..end];
                }
            }
        }
        catch (JsonException)
        {
            return false; // a malformed recorded line is not served
        }

        if (stream is not null && !data.IsEmpty)
        {
            frame = new RecordedFrame(ns, stream, data);
            return StreamNames.IsValid(stream);
        }

        var isTicker = eventType == "bookTicker" || (eventType is null && hasU && hasB && hasA && !string.IsNullOrEmpty(symbol));
        if (isTicker && !string.IsNullOrEmpty(symbol))
        {
            frame = new RecordedFrame(ns, StreamNames.BookTicker(symbol), frameBytes);
            return true;
        }

        return false;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value).ToArray();
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private static async Task<Stream> OpenAsync(string file, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var magic = new byte[2];
        var read = await stream.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }
}
