using System.Globalization;
using System.Reactive;
using System.Text;
using System.Text.Json;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>Turns notifications back into marble text: per-frame symbols, full descriptions, and comparison.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class MarbleNotation<T>
{
    private readonly IReadOnlyDictionary<char, T> _values;
    private readonly IReadOnlyDictionary<string, Exception> _errors;

    public MarbleNotation(IReadOnlyDictionary<char, T>? values, IReadOnlyDictionary<string, Exception>? errors, long frameTicks)
    {
        _values = values ?? new Dictionary<char, T>();
        _errors = errors ?? new Dictionary<string, Exception>();
        FrameTicks = frameTicks;
    }

    public long FrameTicks { get; }

    /// <summary>Errors compare by exception type (messages and stack traces differ between runs); values by the type's own equality.</summary>
    public static bool Same(Notification<T> expected, Notification<T> actual) =>
        expected.Kind == actual.Kind && expected.Kind switch
        {
            NotificationKind.OnNext => EqualityComparer<T>.Default.Equals(expected.Value, actual.Value),
            NotificationKind.OnError => expected.Exception!.GetType() == actual.Exception!.GetType(),
            _ => true,
        };

    /// <summary>A notification in full; an expected error shows only its type, the one thing compared.</summary>
    public static string Describe(Notification<T> notification, bool typeOnly = false) => notification.Kind switch
    {
        NotificationKind.OnNext => "OnNext(" + DescribeValue(notification.Value) + ")",
        NotificationKind.OnError when typeOnly => $"OnError({notification.Exception!.GetType().Name})",
        NotificationKind.OnError => $"OnError({notification.Exception!.GetType().Name}: {notification.Exception.Message})",
        _ => "OnCompleted()",
    };

    public static bool Equal(IList<Recorded<Notification<T>>> expected, IList<Recorded<Notification<T>>> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.Time == p.Second.Time && Same(p.First.Value, p.Second.Value));

    /// <summary>Floor division in integers: a time between frames belongs to the frame it falls in, negative times included.</summary>
    public static long FrameOf(long ticks, long frameTicks) => ticks >= 0 ? ticks / frameTicks : -((-ticks + frameTicks - 1) / frameTicks);

    public string Symbol(Notification<T> notification)
    {
        switch (notification.Kind)
        {
            case NotificationKind.OnNext:
                foreach (var pair in _values)
                {
                    if (EqualityComparer<T>.Default.Equals(pair.Value, notification.Value))
                    {
                        return pair.Key.ToString();
                    }
                }

                return "?";
            case NotificationKind.OnError:
                foreach (var pair in _errors)
                {
                    if (pair.Value.GetType() == notification.Exception!.GetType())
                    {
                        return pair.Key;
                    }
                }

                return "#";
            default:
                return "|";
        }
    }

    /// <summary>Renders one line with RxJS's rules, so that parsing the result gives the same notifications (when groups do not overlap).</summary>
    public string Render(IEnumerable<Recorded<Notification<T>>> messages)
    {
        var text = new StringBuilder();
        long position = 0;
        foreach (var (frame, symbol) in Frames(messages))
        {
            if (frame > position)
            {
                AppendGap(text, frame - position);
                position = frame;
            }

            text.Append(symbol);
            position += symbol.Length;
        }

        return text.ToString();
    }

    /// <summary>The expected and actual lines under one ruler, one column slot per frame, then the first difference in full.</summary>
    public string Mismatch(IList<Recorded<Notification<T>>> expected, IList<Recorded<Notification<T>>> actual, string title)
    {
        var expectedFrames = Frames(expected).ToDictionary(f => f.Frame, f => f.Symbol);
        var actualFrames = Frames(actual).ToDictionary(f => f.Frame, f => f.Symbol);
        long expectedEnd = expectedFrames.Keys.DefaultIfEmpty(-1).Max();
        long actualEnd = actualFrames.Keys.DefaultIfEmpty(-1).Max();
        long last = Math.Max(0, Math.Max(expectedEnd, actualEnd));
        var ruler = new StringBuilder();
        var top = new StringBuilder();
        var bottom = new StringBuilder();
        int rulerFree = 0;
        for (long frame = 0; frame <= last; frame++)
        {
            long gap = 0;
            while (frame + gap <= last && !expectedFrames.ContainsKey(frame + gap) && !actualFrames.ContainsKey(frame + gap))
            {
                gap++;
            }

            if (gap > 24)
            {
                // A long silence prints as a time skip on both lines so the interesting frames stay on screen.
                string skip = " " + MarbleDuration.Format(TimeSpan.FromTicks(gap * FrameTicks)) + " ";
                top.Append(frame > expectedEnd ? new string(' ', skip.Length) : skip);
                bottom.Append(frame > actualEnd ? new string(' ', skip.Length) : skip);
                ruler.Append(' ', Math.Max(0, top.Length - ruler.Length));
                frame += gap - 1;
                continue;
            }

            // Past a line's last notification there is nothing to show, so it stays blank rather than dashed.
            string up = expectedFrames.GetValueOrDefault(frame, frame > expectedEnd ? " " : "-");
            string down = actualFrames.GetValueOrDefault(frame, frame > actualEnd ? " " : "-");
            int width = Math.Max(up.Length, down.Length);
            if (frame % 5 == 0 && top.Length >= rulerFree)
            {
                ruler.Append(' ', top.Length - ruler.Length);
                string number = frame.ToString(CultureInfo.InvariantCulture);
                ruler.Append(number);
                rulerFree = ruler.Length + 1;
            }

            top.Append(up.PadRight(width));
            bottom.Append(down.PadRight(width));
        }

        var message = new StringBuilder();
        message.AppendLine(title);
        message.Append("frame:         ").AppendLine(ruler.ToString().TrimEnd());
        message.Append("expected out:  ").AppendLine(top.ToString().TrimEnd());
        message.Append("actual out:    ").AppendLine(bottom.ToString().TrimEnd());
        AppendFirstDifference(message, expected, actual);
        return message.ToString();
    }

    /// <summary>JSON shows every public field (a ToString override may hide the one that differs); ToString is the fallback.</summary>
    private static string DescribeValue(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value, MarbleBinder.DefaultJson);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return value?.ToString() ?? "null";
        }
    }

    private void AppendFirstDifference(StringBuilder message, IList<Recorded<Notification<T>>> expected, IList<Recorded<Notification<T>>> actual)
    {
        int i = 0;
        while (i < expected.Count && i < actual.Count && expected[i].Time == actual[i].Time && Same(expected[i].Value, actual[i].Value))
        {
            i++;
        }

        long time = Math.Min(i < expected.Count ? expected[i].Time : long.MaxValue, i < actual.Count ? actual[i].Time : long.MaxValue);
        long frame = FrameOf(time, FrameTicks);
        message.Append(CultureInfo.InvariantCulture, $"first difference at frame {frame} ({MarbleDuration.Format(TimeSpan.FromTicks(time))} after frame 0):").AppendLine();
        AppendFrame(message, "  expected: ", expected, frame, expectedSide: true);
        AppendFrame(message, "  actual:   ", actual, frame, expectedSide: false);
    }

    private void AppendFrame(StringBuilder message, string label, IList<Recorded<Notification<T>>> messages, long frame, bool expectedSide)
    {
        var inFrame = messages.Where(m => FrameOf(m.Time, FrameTicks) == frame).ToList();
        message.Append(label);
        if (inFrame.Count == 0)
        {
            message.AppendLine("nothing");
            return;
        }

        message.AppendLine(string.Join(
            Environment.NewLine + new string(' ', label.Length),
            inFrame.Select(m => FrameOf(m.Time, FrameTicks) * FrameTicks == m.Time
                ? Describe(m.Value, expectedSide)
                : $"{Describe(m.Value, expectedSide)} at +{TimeSpan.FromTicks(m.Time).ToString("c", CultureInfo.InvariantCulture)} (between frames)")));
    }

    private IEnumerable<(long Frame, string Symbol)> Frames(IEnumerable<Recorded<Notification<T>>> messages) =>
        messages
            .GroupBy(m => FrameOf(m.Time, FrameTicks))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var symbols = g.Select(m => Symbol(m.Value)).ToList();
                return (g.Key, symbols.Count == 1 ? symbols[0] : "(" + string.Concat(symbols) + ")");
            });

    private void AppendGap(StringBuilder text, long frames)
    {
        if (frames > 24)
        {
            text.Append(' ').Append(MarbleDuration.Format(TimeSpan.FromTicks(frames * FrameTicks))).Append(' ');
        }
        else
        {
            text.Append('-', (int)frames);
        }
    }
}
