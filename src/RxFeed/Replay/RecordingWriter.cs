using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using RxFeed.Connection;
using RxFeed.Output;

namespace RxFeed.Replay;

/// <summary>Writes received frames in the replay format that <see cref="RecordingCursor"/> reads: <c>&lt;receive ns&gt; &lt;frame&gt;</c> lines.</summary>
public static class RecordingWriter
{
    /// <summary>Opens <paramref name="path"/> (gzip when it ends in <c>.gz</c>) for frames, written off the caller's thread.</summary>
    /// <param name="path">The file, created or truncated.</param>
    /// <returns>The writer; dispose it to flush and close the file.</returns>
    public static OutputWriter<ReceivedFrame> Create(string path)
    {
        Stream stream = OutputWriter.OpenFile(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionLevel.Fastest);
        }

        return new OutputWriter<ReceivedFrame>(stream, WriteLine, ownsStream: true);
    }

    /// <summary>One line: the receive time, one space, the frame as received (UTF-8), a newline.</summary>
    /// <param name="buffer">The batch buffer.</param>
    /// <param name="frame">The frame.</param>
    public static void WriteLine(ArrayBufferWriter<byte> buffer, in ReceivedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Span<byte> span = buffer.GetSpan(22 + Encoding.UTF8.GetMaxByteCount(frame.Text.Length));
        Utf8Formatter.TryFormat(frame.ReceivedNs, span, out int n);
        span[n++] = (byte)' ';
        n += Encoding.UTF8.GetBytes(frame.Text, span[n..]);
        span[n++] = (byte)'\n';
        buffer.Advance(n);
    }
}
