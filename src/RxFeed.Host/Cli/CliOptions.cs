using System.CommandLine;
using System.CommandLine.Parsing;
using RxFeed.Time;

namespace RxFeed.Host.Cli;

/// <summary>Option factories shared by the verbs, so every verb parses durations, files and sizes the same way.</summary>
internal static class CliOptions
{
    public static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = $"{description} (default {RxFeed.Time.Duration.Format(defaultValue)}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = ParseDuration,
    };

    public static Option<TimeSpan?> OptionalDuration(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParseDuration(result),
    };

    public static Option<FileInfo?> OutputFile(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "FILE",
    };

    public static Option<int> PositiveInt(string name, int defaultValue, string description) => new(name)
    {
        Description = $"{description} (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                return n;
            }

            result.AddError($"{name}: '{text}' is not a positive integer");
            return defaultValue;
        },
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (RxFeed.Time.Duration.TryParse(text, out TimeSpan value))
        {
            return value;
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : "duration";
        result.AddError($"{name}: '{text}' is not a duration (write e.g. 500ms, 2s, 1m, 24h)");
        return default;
    }
}
