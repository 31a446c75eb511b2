using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RxFeed.Parsing;

namespace RxFeed.Tests.Support;

/// <summary>
/// An independent, slow reading of host-cli.md "Counting frames" on top of System.Text.Json: the reference the
/// fuzz tests hold the parser to. It shares no code with the parser.
/// </summary>
internal static partial class SpecOracle
{
    private static readonly string[] ReadKeys = ["stream", "data", "e", "u", "s", "b", "B", "a", "A", "result", "id", "code", "msg", "error"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    /// <summary>Whether Utf8JsonReader (strict: no comments, no trailing commas, one value) accepts the text.</summary>
    public static bool IsWellFormedJson(string text)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate: not valid Unicode, so not valid UTF-8 on the wire
        }

        if (text.AsSpan().Trim(" \t\r\n").IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 1_000_000 });
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The frame class by the contract, or null when the oracle cannot tell (a key it cannot decode).</summary>
    public static FrameClass? Classify(string text)
    {
        if (!IsWellFormedJson(text))
        {
            return FrameClass.Malformed;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 1_000_000 });
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Repeats(root))
            {
                return FrameClass.Malformed;
            }

            JsonElement? Get(JsonElement o, string key) => o.EnumerateObject().Where(p => p.Name == key).Select(p => (JsonElement?)p.Value).FirstOrDefault();
            JsonElement? stream = Get(root, "stream"), data = Get(root, "data"), e = Get(root, "e");
            if ((Get(root, "result") is not null && Get(root, "id") is not null) ||
                (Get(root, "code") is not null && Get(root, "msg") is not null) ||
                (Get(root, "error") is { ValueKind: JsonValueKind.Object } && Get(root, "id") is not null) ||
                (e is { ValueKind: JsonValueKind.String } ev && ev.GetString() == "serverShutdown") ||
                (stream is { ValueKind: JsonValueKind.String } sv && sv.GetString() == "!serverShutdown"))
            {
                return FrameClass.Control;
            }

            JsonElement payload;
            if (stream is { ValueKind: JsonValueKind.String } name && data is { } d)
            {
                if (!name.GetString()!.EndsWith("@bookTicker", StringComparison.Ordinal))
                {
                    return FrameClass.Other;
                }

                if (d.ValueKind != JsonValueKind.Object)
                {
                    return FrameClass.Invalid;
                }

                if (Repeats(d))
                {
                    return FrameClass.Malformed;
                }

                payload = d;
            }
            else if (e is { } ev2)
            {
                if (ev2.ValueKind != JsonValueKind.String || ev2.GetString() != "bookTicker")
                {
                    return FrameClass.Other;
                }

                payload = root;
            }
            else if (Get(root, "u") is not null && Get(root, "s") is not null && Get(root, "b") is not null && Get(root, "a") is not null)
            {
                payload = root;
            }
            else
            {
                return FrameClass.Other;
            }

            return IsValidTicker(payload, Get) ? FrameClass.BookTicker : FrameClass.Invalid;
        }
        catch (InvalidOperationException)
        {
            return null; // a key or value with an escaped lone surrogate: System.Text.Json will not decode it
        }
    }

    private static bool Repeats(JsonElement obj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (ReadKeys.Contains(p.Name, StringComparer.Ordinal) && !seen.Add(p.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidTicker(JsonElement p, Func<JsonElement, string, JsonElement?> get)
    {
        if (get(p, "u") is not { ValueKind: JsonValueKind.Number } u)
        {
            return false;
        }

        string raw = u.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") >= 0 || !BigInteger.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out BigInteger id) || id < 1 || id > long.MaxValue)
        {
            return false;
        }

        if (get(p, "s") is not { ValueKind: JsonValueKind.String } s || s.GetString()!.Length == 0)
        {
            return false;
        }

        foreach ((string key, bool price) in new[] { ("b", true), ("B", false), ("a", true), ("A", false) })
        {
            if (get(p, key) is not { ValueKind: JsonValueKind.String } v || !IsExactPlainDecimal(v.GetString()!, price))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Plain decimal, exact in <see cref="decimal"/>, and &gt; 0 for a price (a size has no sign to be negative).</summary>
    public static bool IsExactPlainDecimal(string text, bool price)
    {
        Match m = PlainDecimal().Match(text);
        if (!m.Success)
        {
            return false;
        }

        string fraction = m.Groups[2].Value.TrimEnd('0');
        var mantissa = BigInteger.Parse(m.Groups[1].Value + fraction, System.Globalization.CultureInfo.InvariantCulture);
        return fraction.Length <= 28 && mantissa <= MaxMantissa && (!price || mantissa > 0);
    }

    [GeneratedRegex(@"\A([0-9]+)(?:\.([0-9]+))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainDecimal();
}
