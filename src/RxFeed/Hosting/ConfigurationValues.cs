using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace RxFeed.Hosting;

/// <summary>How every RxFeed options class reads a value from configuration: one syntax, errors that name the key.</summary>
public static class ConfigurationValues
{
    /// <summary>A duration key: RxFeed's syntax (<c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>24h</c>) or a bare number of seconds.</summary>
    /// <param name="section">The section holding the key; its path prefixes the error message.</param>
    /// <param name="key">The key under it, e.g. <c>StaleAfter</c>.</param>
    /// <param name="fallback">The value when the key is absent or empty.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="ArgumentException">The value is not a duration; the message names the key's full path.</exception>
    public static TimeSpan Duration(IConfiguration section, string key, TimeSpan fallback)
    {
        string? text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds) && seconds <= 1_000_000_000m)
        {
            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        return Time.Duration.TryParse(text, out TimeSpan value) ? value : throw Bad(section, key, "is not a duration (500ms, 2s, 1m, 24h or seconds)");
    }

    /// <summary>A whole, non-negative number key.</summary>
    /// <param name="section">The section holding the key; its path prefixes the error message.</param>
    /// <param name="key">The key under it, e.g. <c>StaleAfter</c>.</param>
    /// <param name="fallback">The value when the key is absent or empty.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The value is not a whole number; the message names the key's full path.</exception>
    public static int Integer(IConfiguration section, string key, int fallback)
    {
        string? text = section[key];
        return string.IsNullOrEmpty(text) ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
            : throw Bad(section, key, "is not a whole number");
    }

    internal static ArgumentException Bad(IConfiguration section, string key, string reason)
    {
        string path = section is IConfigurationSection s ? s.Path + ":" + key : key;
        return new ArgumentException($"{path}: '{section[key]}' {reason}", key);
    }
}
