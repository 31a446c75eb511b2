using System.Text.RegularExpressions;

namespace RxFeed.Testing;

/// <summary>Reads the <c>operator:</c> header: <c>Name</c> or <c>Name(arg: value, ...)</c>, keeping each value's column.</summary>
internal static partial class MarbleOperatorHeader
{
    public static (string Name, List<MarbleArgument> Arguments) Parse(string text, int line, int column)
    {
        var call = OperatorPattern().Match(text);
        if (!call.Success)
        {
            throw new MarbleSyntaxException($"operator: must read 'Name' or 'Name(arg: value, ...)', not '{text}'", line, column);
        }

        var arguments = new List<MarbleArgument>();
        if (call.Groups["args"].Success && call.Groups["args"].Value.Trim().Length > 0)
        {
            string args = call.Groups["args"].Value;
            int offset = column + call.Groups["args"].Index;
            foreach (var (part, start) in SplitTopLevel(args))
            {
                var arg = ArgumentPattern().Match(part);
                if (!arg.Success)
                {
                    throw new MarbleSyntaxException($"operator argument '{part.Trim()}' must read 'name: value'", line, offset + start);
                }

                string argName = arg.Groups["name"].Value;
                if (arguments.Any(a => a.Name == argName))
                {
                    throw new MarbleSyntaxException($"operator argument '{argName}' is given twice", line, offset + start + arg.Groups["name"].Index);
                }

                var value = arg.Groups["value"];
                int lead = value.Value.Length - value.Value.TrimStart().Length;
                arguments.Add(new MarbleArgument(argName, value.Value.Trim(), line, offset + start + value.Index + lead));
            }
        }

        return (call.Groups["name"].Value, arguments);
    }

    private static IEnumerable<(string Part, int Start)> SplitTopLevel(string text)
    {
        int depth = 0;
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '[' or '(' or '{')
            {
                depth++;
            }
            else if (!quoted && c is ']' or ')' or '}')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                yield return (text[start..i], start);
                start = i + 1;
            }
        }

        yield return (text[start..], start);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_.]*)\s*(?:\((?<args>.*)\))?$")]
    private static partial Regex OperatorPattern();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_@][A-Za-z0-9_]*)\s*:(?<value>.+)$")]
    private static partial Regex ArgumentPattern();
}
