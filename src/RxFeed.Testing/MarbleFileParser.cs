using System.Globalization;
using System.Text.RegularExpressions;

namespace RxFeed.Testing;

/// <summary>Reads the <c>.marble</c> format: header fields, stream lines, and indented <c>values:</c> and <c>errors:</c> blocks.</summary>
internal static partial class MarbleFileParser
{
    private static readonly string[] Headers = ["name", "operator", "frame", "until", "tags"];

    public static MarbleFile Parse(string text, string path)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headers = new Dictionary<string, (string Value, int Line, int Column)>();
        var streams = new List<MarbleStream>();
        var rawValues = new List<(char Key, string Text, int Line, int Column)>();
        var errors = new List<MarbleError>();
        string? block = null;
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd();
            int lineNo = n + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]))
            {
                if (block is null)
                {
                    throw new MarbleSyntaxException("an indented line outside a values: or errors: block", lineNo, 1);
                }

                var entry = EntryPattern().Match(line);
                if (!entry.Success)
                {
                    throw new MarbleSyntaxException($"expected '<key> = <{(block == "values" ? "JSON" : "exception type")}>' in the {block}: block", lineNo, line.Length - line.TrimStart().Length + 1);
                }

                string key = entry.Groups["key"].Value;
                int valueColumn = entry.Groups["value"].Index + 1;
                if (block == "values")
                {
                    if (key.Length != 1 || !char.IsAsciiLetterOrDigit(key[0]))
                    {
                        throw new MarbleSyntaxException($"value key '{key}' must be one letter or digit", lineNo, entry.Groups["key"].Index + 1);
                    }

                    if (rawValues.Any(v => v.Key == key[0]))
                    {
                        throw new MarbleSyntaxException($"value '{key}' is defined twice", lineNo, entry.Groups["key"].Index + 1);
                    }

                    rawValues.Add((key[0], entry.Groups["value"].Value, lineNo, valueColumn));
                }
                else
                {
                    if (!ErrorKeyPattern().IsMatch(key))
                    {
                        throw new MarbleSyntaxException($"error key '{key}' must be '#' or '#' and digits", lineNo, entry.Groups["key"].Index + 1);
                    }

                    if (errors.Any(e => e.Key == key))
                    {
                        throw new MarbleSyntaxException($"error '{key}' is defined twice", lineNo, entry.Groups["key"].Index + 1);
                    }

                    errors.Add(new MarbleError(key, entry.Groups["value"].Value, lineNo, valueColumn));
                }

                continue;
            }

            block = null;
            if (line is "values:" or "errors:")
            {
                block = line[..^1];
                continue;
            }

            var stream = StreamPattern().Match(line);
            if (stream.Success)
            {
                streams.Add(ToStream(stream, lineNo));
                continue;
            }

            var header = HeaderPattern().Match(line);
            if (header.Success && Headers.Contains(header.Groups["key"].Value))
            {
                string key = header.Groups["key"].Value;
                var raw = header.Groups["value"];
                int lead = raw.Value.Length - raw.Value.TrimStart().Length;
                if (!headers.TryAdd(key, (raw.Value.Trim(), lineNo, raw.Index + lead + 1)))
                {
                    throw new MarbleSyntaxException($"'{key}:' is given twice", lineNo, 1);
                }

                continue;
            }

            throw new MarbleSyntaxException(
                $"unknown line '{line}': expected a header (name:, operator:, frame:, until:, tags:), a stream line (hot x:, cold x:, cold x[k]:, sub:, out:, subs x:), values: or errors:",
                lineNo,
                1);
        }

        var (name, _, _) = Required(headers, "name", lines.Length);
        var (operatorText, operatorLine, operatorColumn) = Required(headers, "operator", lines.Length);
        var (operatorName, arguments) = MarbleOperatorHeader.Parse(operatorText, operatorLine, operatorColumn);
        TimeSpan frame = Duration(headers, "frame") ?? Marble.DefaultFrame;
        if (frame <= TimeSpan.Zero)
        {
            throw new MarbleSyntaxException("frame: must be longer than zero", headers["frame"].Line, headers["frame"].Column);
        }

        var values = MarbleValueBlock.Resolve(rawValues);
        var parsed = streams.Select(s => s with
        {
            Events = MarbleDiagram.Parse(
                s.Diagram,
                s.Kind switch { MarbleStreamKind.Hot => DiagramKind.Hot, MarbleStreamKind.Sub or MarbleStreamKind.Subs => DiagramKind.Subscription, _ => DiagramKind.Notifications },
                frame.Ticks,
                values.ContainsKey,
                s.Line,
                s.Column),
        }).ToList();
        MarbleStreamRules.Check(parsed, errors);
        return new MarbleFile
        {
            Path = path,
            Name = name,
            Operator = operatorName,
            Arguments = arguments,
            Frame = frame,
            Until = Duration(headers, "until"),
            Tags = headers.TryGetValue("tags", out var tags) ? tags.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [],
            Streams = parsed,
            Values = values,
            Errors = errors,
        };
    }

    private static MarbleStream ToStream(Match match, int line)
    {
        string word = match.Groups["kind"].Value;
        string? source = match.Groups["source"].Success ? match.Groups["source"].Value : null;
        var kind = word switch
        {
            "hot" => MarbleStreamKind.Hot,
            "cold" => MarbleStreamKind.Cold,
            "subs" => MarbleStreamKind.Subs,
            "sub" => MarbleStreamKind.Sub,
            _ => MarbleStreamKind.Out,
        };
        bool needsSource = kind is MarbleStreamKind.Hot or MarbleStreamKind.Cold or MarbleStreamKind.Subs;
        if (needsSource != (source is not null))
        {
            throw new MarbleSyntaxException(needsSource ? $"'{word}' needs a source name, e.g. '{word} in:'" : $"'{word}:' takes no source name", line, 1);
        }

        int index = kind == MarbleStreamKind.Cold ? 1 : 0;
        if (match.Groups["index"].Success)
        {
            if (kind != MarbleStreamKind.Cold)
            {
                throw new MarbleSyntaxException("only cold lines take a subscription number [k]", line, match.Groups["index"].Index);
            }

            index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
            if (index < 1)
            {
                throw new MarbleSyntaxException("subscription numbers start at 1", line, match.Groups["index"].Index + 1);
            }
        }

        var diagram = match.Groups["diagram"];
        return new MarbleStream(kind, source, index, diagram.Value, line, diagram.Index + 1);
    }

    private static (string Value, int Line, int Column) Required(Dictionary<string, (string Value, int Line, int Column)> headers, string key, int lineCount) =>
        headers.TryGetValue(key, out var value) && value.Value.Length > 0
            ? value
            : throw new MarbleSyntaxException($"missing '{key}:' header", headers.TryGetValue(key, out var empty) ? empty.Line : 1, 1);

    private static TimeSpan? Duration(Dictionary<string, (string Value, int Line, int Column)> headers, string key)
    {
        if (!headers.TryGetValue(key, out var header))
        {
            return null;
        }

        try
        {
            return MarbleDuration.Parse(header.Value);
        }
        catch (FormatException e)
        {
            throw new MarbleSyntaxException($"{key}: {e.Message}", header.Line, header.Column, e);
        }
    }

    [GeneratedRegex(@"^(?<kind>hot|cold|subs|sub|out)(?:\s+(?<source>[A-Za-z_][A-Za-z0-9_]*))?(?:\[(?<index>-?\d+)\])?\s*:(?<diagram>.*)$")]
    private static partial Regex StreamPattern();

    [GeneratedRegex(@"^(?<key>[a-z]+):(?<value>.*)$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^\s+(?<key>\S+)\s*=\s*(?<value>.*?)\s*$")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"^#\d*$")]
    private static partial Regex ErrorKeyPattern();
}
