using System.Globalization;

namespace RxFeed.Time;

/// <summary>Durations as RxFeed writes them everywhere: <c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>24h</c> (also <c>us</c>, <c>ns</c>, <c>d</c>).</summary>
public static class Duration
{
    /// <summary>Parses a duration: a non-negative integer or decimal number and a unit.</summary>
    /// <param name="text">The text, e.g. <c>1.5s</c>.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when the text is not a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
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
        if (ticksPerUnit < 0 || number.IsEmpty || !char.IsAsciiDigit(number[0]) ||
            !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
        {
            return false;
        }

        try
        {
            decimal ticks = ticksPerUnit == 0 ? amount / 100m : amount * ticksPerUnit;
            value = TimeSpan.FromTicks(decimal.ToInt64(decimal.Round(ticks, MidpointRounding.AwayFromZero)));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

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
}
