using System.Globalization;
using RxFeed.Time;

namespace RxFeed.Testing;

/// <summary>
/// Durations as diagrams write them: <c>10ms</c>, <c>5s</c>, <c>1.5s</c>, <c>1m</c> — the ms, s and m subset of
/// <see cref="Duration"/>, parsed by it; values finer than a tick are refused rather than rounded. <see cref="Format"/>
/// stays within that subset, so what it writes parses back.
/// </summary>
public static class MarbleDuration
{
    /// <summary>Parses a duration such as <c>100ms</c>, <c>5s</c>, <c>0.5s</c> or <c>2m</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Match(text, 0, out int length, out TimeSpan value) && length == text.Length)
        {
            return value;
        }

        throw new FormatException($"'{text}' is not a duration (write e.g. 100ms, 5s, 1.5s, 2m)");
    }

    /// <summary>Formats a duration in the largest unit that holds it exactly, or as ticks-precise milliseconds.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text, e.g. <c>5s</c>.</returns>
    public static string Format(TimeSpan value)
    {
        long ticks = value.Ticks;
        if (ticks != 0 && ticks % TimeSpan.TicksPerMinute == 0)
        {
            return (ticks / TimeSpan.TicksPerMinute).ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (ticks != 0 && ticks % TimeSpan.TicksPerSecond == 0)
        {
            return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "s";
        }

        return ((decimal)ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Matches digits, an optional fraction and a unit (<c>ms</c>, <c>s</c>, <c>m</c>) at <paramref name="start"/>.</summary>
    internal static bool Match(string text, int start, out int length, out TimeSpan value)
    {
        length = 0;
        value = default;
        int i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == start)
        {
            return false;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        // Diagrams take only ms, s and m (no h, us, ns, d): a letter after a number is otherwise an event.
        int unitLength = string.CompareOrdinal(text, i, "ms", 0, 2) == 0 ? 2
            : i < text.Length && text[i] is 's' or 'm' ? 1
            : 0;
        if (unitLength == 0 || !Duration.TryParseExact(text.AsSpan(start, i - start + unitLength), out value))
        {
            value = default;
            return false;
        }

        length = i - start + unitLength;
        return true;
    }
}
