using System.Diagnostics;
using System.Globalization;

namespace RxFeed.Host.Verbs;

/// <summary>
/// The progress bar of a long replay on a terminal: one line redrawn in place with frames/s, the position in the input
/// and the time left. Silent for the first <see cref="ShowAfterSeconds"/> seconds, so a short replay never shows one;
/// redrawn at most four times a second. The caller decides whether there is a terminal at all.
/// </summary>
internal sealed class ReplayProgress(TextWriter output, long totalBytes, int files, long startTimestamp)
{
    public const double ShowAfterSeconds = 2;
    private const int Width = 30;
    private long _lastDraw;
    private int _drawnLength;

    /// <summary>Redraws the line if the replay has run long enough and the last draw is a quarter second old.</summary>
    public void Update(long frames, long position, int file, long nowTimestamp)
    {
        double seconds = Stopwatch.GetElapsedTime(startTimestamp, nowTimestamp).TotalSeconds;
        if (seconds < ShowAfterSeconds || (_drawnLength > 0 && Stopwatch.GetElapsedTime(_lastDraw, nowTimestamp).TotalSeconds < 0.25))
        {
            return;
        }

        string line = Format(frames, seconds, position, totalBytes, file, files);
        output.Write('\r' + line.PadRight(_drawnLength));
        output.Flush();
        _drawnLength = line.Length;
        _lastDraw = nowTimestamp;
    }

    /// <summary>Clears the line when one was drawn, so the summary starts on a clean line.</summary>
    public void Finish()
    {
        if (_drawnLength > 0)
        {
            output.Write('\r' + new string(' ', _drawnLength) + '\r');
            output.Flush();
            _drawnLength = 0;
        }
    }

    /// <summary>
    /// One line, e.g. <c>[#########.....] 31%  2,310,000 frames  1.95 M/s  412.0/1,330.5 MB  file 2/5  ETA 0:08</c>. The time
    /// left assumes the rest of the input goes at the rate so far (bytes of file read, compressed for <c>.gz</c>).
    /// </summary>
    public static string Format(long frames, double seconds, long position, long totalBytes, int file, int files)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        double fraction = totalBytes > 0 ? Math.Clamp((double)position / totalBytes, 0, 1) : 1;
        int filled = (int)(fraction * Width);
        string bar = "[" + new string('#', filled) + new string('.', Width - filled) + "]";
        double rate = seconds > 0 ? frames / seconds : 0;
        string eta = position > 0 && fraction < 1
            ? Clock(seconds * (totalBytes - position) / position)
            : "0:00";
        string filePart = files > 1 ? string.Create(c, $"  file {file}/{files}") : string.Empty;
        return string.Create(c, $"{bar} {fraction * 100,3:0}%  {frames:N0} frames  {rate / 1e6:0.00} M/s  {position / 1e6:N1}/{totalBytes / 1e6:N1} MB{filePart}  ETA {eta}");
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }
}
