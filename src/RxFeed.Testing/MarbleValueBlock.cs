using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RxFeed.Testing;

/// <summary>Resolves the <c>values:</c> block: checks each JSON value and applies <c>x = y with {...}</c>.</summary>
internal static partial class MarbleValueBlock
{
    public static Dictionary<char, MarbleValue> Resolve(List<(char Key, string Text, int Line, int Column)> raw)
    {
        var resolved = new Dictionary<char, MarbleValue>();
        foreach (var (key, text, line, column) in raw)
        {
            var with = WithPattern().Match(text);
            string json = text;
            int jsonColumn = column;
            JsonNode? baseNode = null;
            if (with.Success)
            {
                char from = with.Groups["base"].Value[0];
                if (!resolved.TryGetValue(from, out var baseValue))
                {
                    throw new MarbleSyntaxException($"'{from}' in '{key} = {from} with ...' is not defined above", line, column);
                }

                baseNode = JsonNode.Parse(baseValue.Json);
                json = with.Groups["json"].Value;
                jsonColumn = column + with.Groups["json"].Index;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(json);
            }
            catch (JsonException e)
            {
                throw new MarbleSyntaxException($"value '{key}' is not valid JSON: {e.Message}", line, jsonColumn, e);
            }

            if (baseNode is not null)
            {
                if (baseNode is not JsonObject target || node is not JsonObject overrides)
                {
                    throw new MarbleSyntaxException($"'with' needs JSON objects on both sides (value '{key}')", line, jsonColumn);
                }

                Merge(target, overrides);
                node = target;
            }

            resolved[key] = new MarbleValue(key, node?.ToJsonString() ?? "null", line, jsonColumn);
        }

        return resolved;
    }

    /// <summary>Overrides fields recursively: nested objects merge, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (name, value) in overrides.ToList())
        {
            if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    [GeneratedRegex(@"^(?<base>[A-Za-z0-9])\s+with\s+(?<json>.*)$")]
    private static partial Regex WithPattern();
}
