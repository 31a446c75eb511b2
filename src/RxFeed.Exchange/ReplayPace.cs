using System.Globalization;

namespace RxFeed.Exchange;

/// <summary>How fast a replay runs: as recorded, N times faster, or as fast as possible.</summary>
public readonly record struct ReplayPace
{
    private ReplayPace(double speed) => Speed = speed;

    /// <summary>Gets the pace of the recording itself.</summary>
    public static ReplayPace Recorded { get; } = new(1);

    /// <summary>Gets the pace that ignores the recorded times.</summary>
    public static ReplayPace Max { get; } = new(double.PositiveInfinity);

    /// <summary>Gets the speed factor (1 = recorded, infinity = max).</summary>
    public double Speed { get; }

    /// <summary>Gets a value indicating whether the recorded times are ignored.</summary>
    public bool IsMax => double.IsPositiveInfinity(Speed);

    /// <summary>A pace N times the recorded one.</summary>
    /// <param name="factor">A positive factor.</param>
    /// <returns>The pace.</returns>
    public static ReplayPace Times(double factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 0);
        return new ReplayPace(factor);
    }

    /// <summary>Parses <c>recorded</c>, <c>max</c> or <c>Nx</c> (<c>10x</c>, <c>0.5x</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="pace">The pace.</param>
    /// <returns><see langword="true"/> when parsed.</returns>
    public static bool TryParse(string? text, out ReplayPace pace)
    {
        pace = Recorded;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        if (value == "recorded")
        {
            return true;
        }

        if (value == "max")
        {
            pace = Max;
            return true;
        }

        if (value.EndsWith('x') && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
            && factor > 0 && !double.IsInfinity(factor))
        {
            pace = new ReplayPace(factor);
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => IsMax ? "max" : Speed == 1 ? "recorded" : Speed.ToString(CultureInfo.InvariantCulture) + "x";
}
