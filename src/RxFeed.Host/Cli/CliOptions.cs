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

    public static Option<FileInfo?> OutputFile(string name, string description)
    {
        var option = new Option<FileInfo?>(name) { Description = description, HelpName = "FILE" };

        // A file that cannot be created is a usage error with one clear line, not a stack trace mid-run.
        option.Validators.Add(result =>
        {
            FileInfo? file = result.GetValueOrDefault<FileInfo?>();
            if (file is { Directory: { Exists: false } directory })
            {
                result.AddError($"{name}: directory '{directory.FullName}' does not exist");
            }
            else if (file is not null && Directory.Exists(file.FullName))
            {
                result.AddError($"{name}: '{file.FullName}' is a directory");
            }
        });
        return option;
    }

    /// <summary>An input file that must exist and be readable (not a directory) before the verb starts.</summary>
    public static Option<FileInfo?> InputFile(string name, string description)
    {
        var option = new Option<FileInfo?>(name) { Description = description, HelpName = "FILE" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { } file)
            {
                string? problem = Directory.Exists(file.FullName) ? "is a directory" : !file.Exists ? "does not exist" : CannotRead(file);
                if (problem is not null)
                {
                    result.AddError($"{name}: {file.FullName} {problem}");
                }
            }
        });
        return option;
    }

    /// <summary>
    /// Input files that must exist and be readable before the verb starts. A directory stands for its files (not its
    /// subdirectories, not hidden files) in ordinal name order, the order of <see cref="Expand"/>; one with none is an error.
    /// </summary>
    public static Argument<FileInfo[]> InputFiles(string name, string description)
    {
        var argument = new Argument<FileInfo[]>(name) { Description = description, Arity = ArgumentArity.OneOrMore };
        argument.Validators.Add(result =>
        {
            foreach (FileInfo given in result.GetValueOrDefault<FileInfo[]>() ?? [])
            {
                if (Directory.Exists(given.FullName) && Expand([given]).Length == 0)
                {
                    result.AddError($"{given.FullName}: directory has no files");
                    return;
                }

                foreach (FileInfo file in Expand([given]))
                {
                    string? problem = !file.Exists ? "does not exist" : CannotRead(file);
                    if (problem is not null)
                    {
                        result.AddError($"{file.FullName}: {problem}");
                        return;
                    }
                }
            }
        });
        return argument;
    }

    /// <summary>The files in the order they are read: each directory replaced by its visible files, sorted by ordinal name.</summary>
    public static FileInfo[] Expand(IEnumerable<FileInfo> inputs) =>
        inputs.SelectMany<FileInfo, FileInfo>(input => Directory.Exists(input.FullName)
            ? new DirectoryInfo(input.FullName).EnumerateFiles()
                .Where(f => !f.Name.StartsWith('.'))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
            : [input]).ToArray();

    private static string? CannotRead(FileInfo file)
    {
        try
        {
            using FileStream stream = file.OpenRead();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "cannot be read: " + ex.Message;
        }
    }

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

    public static Option<int> NonNegativeInt(string name, int defaultValue, string description) => new(name)
    {
        Description = $"{description} (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            {
                return n;
            }

            result.AddError($"{name}: '{text}' is not a whole number");
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
