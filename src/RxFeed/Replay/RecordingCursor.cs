using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace RxFeed.Replay;

/// <summary>
/// Reads a recording (the format of <see cref="RecordingReader"/>) one line at a time into buffers it reuses: after
/// <see cref="MoveNext"/>, <see cref="Text"/> holds the frame until the next call, and nothing is allocated per line.
/// This is what lets <c>rxfeed replay</c> push millions of frames through <see cref="BookTickerPipeline"/> without a
/// string each.
/// </summary>
public sealed class RecordingCursor : IDisposable
{
    private const int InitialBuffer = 1 << 20;
    private const int MaxTimeDigits = 20;
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private FileStream? _file;
    private byte[] _bytes = new byte[InitialBuffer];
    private char[] _chars = new char[4096];
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _eof;
    private int _length;
    private int _frameStart;
    private int _frameLength;
    private bool _decoded;

    /// <summary>Initializes a new instance of the <see cref="RecordingCursor"/> class over an uncompressed stream.</summary>
    /// <param name="input">The stream.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="input"/> open.</param>
    public RecordingCursor(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Gets the current line's receive time in nanoseconds since the Unix epoch, or null for a bare frame.</summary>
    public long? ReceivedNs { get; private set; }

    /// <summary>Gets the current line's frame text, decoded from UTF-8 on first use; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Text
    {
        get
        {
            if (!_decoded)
            {
                ReadOnlySpan<byte> frame = Bytes;
                if (_chars.Length < frame.Length)
                {
                    _chars = new char[Math.Max(frame.Length, _chars.Length * 2)];
                }

                _length = Decode(frame, _chars);
                _decoded = true;
            }

            return _chars.AsSpan(0, _length);
        }
    }

    /// <summary>Gets the current line's frame as the file's bytes (UTF-8, not validated); valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(_frameStart, _frameLength);

    /// <summary>
    /// Gets how far into its file a cursor from <see cref="OpenFile"/> has read (compressed bytes for a <c>.gz</c>, read
    /// ahead of the lines by up to a few MB), for progress; readable from any thread. Zero for a cursor over a stream.
    /// </summary>
    public long Position => _file is { } file ? file.Position : 0;

    /// <summary>Gets the current line as a <see cref="RecordedFrame"/> with a string of its own.</summary>
    public RecordedFrame Current => new(ReceivedNs, Text.ToString());

    /// <summary>
    /// Opens a file, gzip detected by its magic bytes. A plain file is read in large blocks straight into the line
    /// buffer; a gzip file is inflated on a thread of its own (<see cref="ReadAheadStream"/>), so inflating and parsing overlap.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The cursor, before the first line; it owns the file.</returns>
    public static RecordingCursor OpenFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // No FileStream buffer: every read asks for a block of a megabyte or more, which it would only copy through.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            bool gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            Stream input = gzip ? new ReadAheadStream(new GZipStream(new BufferedStream(file, 1 << 16), CompressionMode.Decompress)) : file;
            return new RecordingCursor(input) { _file = file };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next non-blank line.</summary>
    /// <returns>False at the end of the stream.</returns>
    /// <exception cref="InvalidDataException">A gzip stream is damaged.</exception>
    public bool MoveNext()
    {
        while (true)
        {
            int newline = _bytes.AsSpan(_scanFrom, _end - _scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineEnd = _scanFrom + newline;
                int lineStart = _start;
                _start = _scanFrom = lineEnd + 1;
                if (Load(lineStart, lineEnd - lineStart))
                {
                    return true;
                }

                continue;
            }

            if (_eof)
            {
                // The last line needs no newline.
                int lastStart = _start;
                _start = _scanFrom = _end;
                return _end > lastStart && Load(lastStart, _end - lastStart);
            }

            Fill();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _input.Dispose();
        }
    }

    /// <summary>Splits a line of the replay format (without its <c>\n</c>) into its receive time and frame bytes.</summary>
    /// <param name="line">The line.</param>
    /// <param name="receivedNs">The receive time, or null for a bare frame.</param>
    /// <param name="frame">The frame's bytes.</param>
    /// <returns>False for a blank line.</returns>
    public static bool TrySplitLine(ReadOnlySpan<byte> line, out long? receivedNs, out ReadOnlySpan<byte> frame)
    {
        receivedNs = null;
        frame = default;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (IsBlank(line))
        {
            return false;
        }

        // The time is read in the pass that finds its end; eighteen digits always fit a long, so only the nineteenth (every
        // current timestamp has one) and twentieth need the overflow check, and such times saturate at long.MaxValue.
        int digits = 0;
        long value = 0;
        for (; digits < line.Length && digits < 18 && (uint)(line[digits] - '0') <= 9; digits++)
        {
            value = (value * 10) + (line[digits] - '0');
        }

        for (; digits < line.Length && digits <= MaxTimeDigits && (uint)(line[digits] - '0') <= 9; digits++)
        {
            int d = line[digits] - '0';
            value = value > (long.MaxValue - d) / 10 ? long.MaxValue : (value * 10) + d;
        }

        if (digits is >= 1 and <= MaxTimeDigits && digits < line.Length && line[digits] == (byte)' ')
        {
            receivedNs = value;
            line = line[(digits + 1)..];
        }

        frame = line;
        return true;
    }

    /// <summary>
    /// Decodes UTF-8 into <paramref name="chars"/> (at least as long as <paramref name="bytes"/>: UTF-8 never needs more
    /// UTF-16 units than bytes). Each invalid byte becomes the lone surrogate U+DC00+byte so the parser sees it.
    /// </summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="chars">The destination.</param>
    /// <returns>The number of chars written.</returns>
    internal static int Decode(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        int total = 0;
        while (true)
        {
            OperationStatus status = Utf8.ToUtf16(bytes, chars[total..], out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            total += written;
            bytes = bytes[read..];
            if (status != OperationStatus.InvalidData)
            {
                return total;
            }

            chars[total++] = (char)(0xDC00 | bytes[0]);
            bytes = bytes[1..];
        }
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

    private bool Load(int start, int length)
    {
        ReadOnlySpan<byte> line = _bytes.AsSpan(start, length);
        if (!TrySplitLine(line, out long? receivedNs, out ReadOnlySpan<byte> frame))
        {
            return false;
        }

        // Decoding waits for Text: a replay reads most frames from the bytes.
        ReceivedNs = receivedNs;
        _frameStart = start + (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(line), ref MemoryMarshal.GetReference(frame));
        _frameLength = frame.Length;
        _decoded = false;
        return true;
    }

    /// <summary>Keeps the unfinished line at the front (growing the buffer for a line longer than it) and reads more.</summary>
    private void Fill()
    {
        _scanFrom = _end;
        if (_start > 0)
        {
            Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
            _end -= _start;
            _scanFrom -= _start;
            _start = 0;
        }
        else if (_end == _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }

        int read = _input.Read(_bytes, _end, _bytes.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
