using System.Globalization;

namespace RxFeed.Time;

/// <summary>Durations as RxFeed writes them everywhere: <c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>24h</c> (also <c>us</c>, <c>ns</c>, <c>d</c>).</summary>
public static class Duration
{
    /// <summary>Parses a duration: a non-negative integer or decimal number and a unit, rounded to whole ticks (100 ns).</summary>
    /// <param name="text">The text, e.g. <c>1.5s</c>.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when the text is not a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text.AsSpan(), out value);

    /// <summary>Parses a duration: a non-negative integer or decimal number and a unit, rounded to whole ticks (100 ns).</summary>
    /// <param name="text">The text, e.g. <c>1.5s</c>.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when the text is not a duration.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value) => TryParse(text, exact: false, out value);

    /// <summary>Parses a duration like <see cref="TryParse(ReadOnlySpan{char}, out TimeSpan)"/>, but fails rather than round a value finer than a tick.</summary>
    /// <param name="text">The text, e.g. <c>0.5ms</c>.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when the text is not a duration or not a whole number of ticks.</returns>
    public static bool TryParseExact(ReadOnlySpan<char> text, out TimeSpan value) => TryParse(text, exact: true, out value);

    /// <summary>Formats a duration in the shortest exact unit.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>E.g. <c>10s</c>, <c>500ms</c>.</returns>
    public static string Format(TimeSpan value)
    {
        long t = value.Ticks;
        return t % TimeSpan.TicksPerHour == 0 && t != 0 ? $"{t / TimeSpan.TicksPerHour}h"
            : t % TimeSpan.TicksPerMinute == 0 && t != 0 ? $"{t / TimeSpan.TicksPerMinute}m"
            : t % TimeSpan.TicksPerSecond == 0 ? $"{t / TimeSpan.TicksPerSecond}s"
            : t % TimeSpan.TicksPerMillisecond == 0 ? $"{t / TimeSpan.TicksPerMillisecond}ms"
            : $"{t / 10m}us";
    }

    private static bool TryParse(ReadOnlySpan<char> text, bool exact, out TimeSpan value)
    {
        value = default;
        ReadOnlySpan<char> s = text.Trim();
        int unitStart = s.Length;
        while (unitStart > 0 && char.IsAsciiLetter(s[unitStart - 1]))
        {
            unitStart--;
        }

        long ticksPerUnit = s[unitStart..] switch
        {
            "ns" => 0,
            "us" => 10,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            "d" => TimeSpan.TicksPerDay,
            _ => -1,
        };
        ReadOnlySpan<char> number = s[..unitStart];

        // Digits on both ends: ".5s" and "5.s" are typos, not durations.
        if (ticksPerUnit < 0 || number.IsEmpty || !char.IsAsciiDigit(number[0]) || !char.IsAsciiDigit(number[^1]) ||
            !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
        {
            return false;
        }

        try
        {
            decimal ticks = ticksPerUnit == 0 ? amount / 100m : amount * ticksPerUnit;
            if (exact && ticks != decimal.Truncate(ticks))
            {
                return false;
            }

            value = TimeSpan.FromTicks(decimal.ToInt64(decimal.Round(ticks, MidpointRounding.AwayFromZero)));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
