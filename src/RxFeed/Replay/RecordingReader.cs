using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace RxFeed.Replay;

/// <summary>One line of a recording: the receive time when the line had one, and the frame text.</summary>
/// <param name="ReceivedNs">Receive time in nanoseconds since the Unix epoch, or null for a bare frame.</param>
/// <param name="Text">The frame exactly as received.</param>
public readonly record struct RecordedFrame(long? ReceivedNs, string Text);

/// <summary>
/// Reads recordings in the replay format: gzip or plain UTF-8, a line ends at <c>\n</c> (a <c>\r</c> right before it is
/// dropped), each line <c>&lt;receive ns&gt; &lt;frame&gt;</c> (1–20 digits and one space) or a bare frame. Blank lines are
/// skipped. Invalid UTF-8 is kept visible: each bad byte becomes a lone surrogate, which the parser reports as
/// <c>InvalidUnicode</c> instead of a silent replacement character.
/// </summary>
public static class RecordingReader
{
    private const int InitialBuffer = 1 << 20;

    /// <summary>Reads several files in order as one stream.</summary>
    /// <param name="paths">The files.</param>
    /// <returns>The non-blank lines.</returns>
    public static IEnumerable<RecordedFrame> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (string path in paths)
        {
            foreach (RecordedFrame frame in ReadFile(path))
            {
                yield return frame;
            }
        }
    }

    /// <summary>Reads one file, gzip detected by its magic bytes.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The non-blank lines.</returns>
    public static IEnumerable<RecordedFrame> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream input = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        foreach (RecordedFrame frame in Read(input))
        {
            yield return frame;
        }
    }

    /// <summary>Reads an uncompressed stream of lines.</summary>
    /// <param name="input">The stream.</param>
    /// <returns>The non-blank lines.</returns>
    public static IEnumerable<RecordedFrame> Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] buffer = new byte[InitialBuffer];
        int start = 0;
        int end = 0;
        int scanFrom = 0;
        while (true)
        {
            int newline = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineEnd = scanFrom + newline;
                if (TryParseLine(buffer.AsSpan(start, lineEnd - start), out RecordedFrame frame))
                {
                    yield return frame;
                }

                start = scanFrom = lineEnd + 1;
                continue;
            }

            scanFrom = end;
            if (start > 0)
            {
                // Keep the unfinished line at the front.
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                scanFrom -= start;
                start = 0;
            }
            else if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = input.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start && TryParseLine(buffer.AsSpan(start, end - start), out RecordedFrame last))
                {
                    yield return last;
                }

                yield break;
            }

            end += read;
        }
    }

    /// <summary>Parses one line (without its <c>\n</c>).</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="frame">The frame, when the line is not blank.</param>
    /// <returns>False for a blank line.</returns>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out RecordedFrame frame)
    {
        frame = default;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (IsBlank(line))
        {
            return false;
        }

        int digits = 0;
        while (digits < line.Length && digits <= 20 && (uint)(line[digits] - '0') <= 9)
        {
            digits++;
        }

        long? receivedNs = null;
        if (digits is >= 1 and <= 20 && digits < line.Length && line[digits] == (byte)' ')
        {
            receivedNs = ParseTime(line[..digits]);
            line = line[(digits + 1)..];
        }

        frame = new RecordedFrame(receivedNs, Decode(line));
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b != (byte)' ' && (b < 0x09 || b > 0x0D))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Twenty digits can exceed a long; such times saturate at <see cref="long.MaxValue"/>.</summary>
    private static long ParseTime(ReadOnlySpan<byte> digits)
    {
        ulong value = 0;
        foreach (byte d in digits)
        {
            ulong next = (value * 10) + (ulong)(d - '0');
            if (value > (ulong.MaxValue - 9) / 10 || next > long.MaxValue)
            {
                return long.MaxValue;
            }

            value = next;
        }

        return (long)value;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[512];
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            text.Append(chars[..written]);
            bytes = bytes[read..];
            if (status == OperationStatus.InvalidData)
            {
                text.Append((char)(0xDC00 | bytes[0]));
                bytes = bytes[1..];
            }
        }

        return text.ToString();
    }
}
