namespace RxFeed.Replay;

/// <summary>One line of a recording: the receive time when the line had one, and the frame text.</summary>
/// <param name="ReceivedNs">Receive time in nanoseconds since the Unix epoch, or null for a bare frame.</param>
/// <param name="Text">The frame exactly as received.</param>
public readonly record struct RecordedFrame(long? ReceivedNs, string Text);

/// <summary>
/// Reads recordings in the replay format: gzip or plain UTF-8, a line ends at <c>\n</c> (a <c>\r</c> right before it is
/// dropped), each line <c>&lt;receive ns&gt; &lt;frame&gt;</c> (1–20 digits and one space) or a bare frame. Blank lines are
/// skipped. Invalid UTF-8 is kept visible: each bad byte becomes a lone surrogate, which the parser reports as
/// <c>InvalidUnicode</c> instead of a silent replacement character. These methods give each frame its own string; a
/// replayer that only parses them uses a <see cref="RecordingCursor"/>, which reuses one buffer.
/// </summary>
public static class RecordingReader
{
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
        using RecordingCursor cursor = RecordingCursor.OpenFile(path);
        while (cursor.MoveNext())
        {
            yield return cursor.Current;
        }
    }

    /// <summary>Reads an uncompressed stream of lines.</summary>
    /// <param name="input">The stream.</param>
    /// <returns>The non-blank lines.</returns>
    public static IEnumerable<RecordedFrame> Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var cursor = new RecordingCursor(input, leaveOpen: true);
        while (cursor.MoveNext())
        {
            yield return cursor.Current;
        }
    }

    /// <summary>Parses one line (without its <c>\n</c>).</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="frame">The frame, when the line is not blank.</param>
    /// <returns>False for a blank line.</returns>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out RecordedFrame frame)
    {
        if (!RecordingCursor.TrySplitLine(line, out long? receivedNs, out ReadOnlySpan<byte> text))
        {
            frame = default;
            return false;
        }

        char[] chars = new char[text.Length];
        frame = new RecordedFrame(receivedNs, new string(chars, 0, RecordingCursor.Decode(text, chars)));
        return true;
    }
}
