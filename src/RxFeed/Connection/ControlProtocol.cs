using System.Text;
using System.Text.Json;

namespace RxFeed.Connection;

/// <summary>A reply to one of our requests: <c>{"result":...,"id":N}</c> or an error carrying the id.</summary>
/// <param name="Id">The request id.</param>
/// <param name="IsError">Whether the server refused the request.</param>
/// <param name="Streams">For a LIST_SUBSCRIPTIONS result, the streams the server says we have; else null.</param>
/// <param name="Message">The error message, if any.</param>
/// <param name="Code">The error code, if any.</param>
internal readonly record struct ControlReply(long Id, bool IsError, IReadOnlyList<string>? Streams, string? Message, int? Code = null);

/// <summary>Binance's control messages: building our requests and recognising replies and serverShutdown.</summary>
internal static class ControlProtocol
{
    public static string BookTickerStream(string symbol) => symbol.Trim().ToLowerInvariant() + "@bookTicker";

    /// <summary>The upper-case symbol of a stream name (<c>adausdt@bookTicker</c> → <c>ADAUSDT</c>).</summary>
    public static string SymbolOf(string stream)
    {
        int at = stream.IndexOf('@', StringComparison.Ordinal);
        return (at < 0 ? stream : stream[..at]).ToUpperInvariant();
    }

    public static string Subscribe(IEnumerable<string> streams, long id) => Request("SUBSCRIBE", streams, id);

    public static string Unsubscribe(IEnumerable<string> streams, long id) => Request("UNSUBSCRIBE", streams, id);

    public static string ListSubscriptions(long id) => "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + id + "}";

    /// <summary>Recognises a reply to one of our requests; cheap for the book tickers that are almost every frame.</summary>
    public static bool TryReadReply(string frame, out ControlReply reply)
    {
        reply = default;
        if (!frame.Contains("\"id\"", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(frame);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out JsonElement idElement)
                || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out long id))
            {
                return false;
            }

            if (root.TryGetProperty("error", out JsonElement error) || root.TryGetProperty("code", out error))
            {
                string? msg = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("msg", out JsonElement m) ? m.ToString()
                    : root.TryGetProperty("msg", out m) ? m.ToString() : null;
                JsonElement codeElement = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out JsonElement c) ? c : error;
                int? code = codeElement.ValueKind == JsonValueKind.Number && codeElement.TryGetInt32(out int n) ? n : null;
                reply = new ControlReply(id, true, null, msg, code);
                return true;
            }

            if (!root.TryGetProperty("result", out JsonElement result))
            {
                return false;
            }

            List<string>? streams = null;
            if (result.ValueKind == JsonValueKind.Array)
            {
                streams = [];
                foreach (JsonElement s in result.EnumerateArray())
                {
                    if (s.ValueKind == JsonValueKind.String)
                    {
                        streams.Add(s.GetString()!);
                    }
                }
            }

            reply = new ControlReply(id, false, streams, null);
            return true;
        }
        catch (JsonException)
        {
            return false; // malformed frames are the parser's to count; they never break the connection
        }
    }

    /// <summary>Recognises <c>{"e":"serverShutdown",...}</c> and the combined stream <c>!serverShutdown</c>.</summary>
    public static bool IsServerShutdown(string frame)
    {
        if (!frame.Contains("serverShutdown", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(frame);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (root.TryGetProperty("stream", out JsonElement stream) && stream.ValueKind == JsonValueKind.String
                && stream.GetString() == "!serverShutdown")
            {
                return true;
            }

            JsonElement payload = root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object ? data : root;
            return payload.TryGetProperty("e", out JsonElement e) && e.ValueKind == JsonValueKind.String && e.GetString() == "serverShutdown";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Request(string method, IEnumerable<string> streams, long id)
    {
        var sb = new StringBuilder("{\"method\":\"").Append(method).Append("\",\"params\":[");
        bool first = true;
        foreach (string s in streams)
        {
            sb.Append(first ? "\"" : ",\"").Append(JsonEncodedText.Encode(s).ToString()).Append('"');
            first = false;
        }

        return sb.Append("],\"id\":").Append(id).Append('}').ToString();
    }
}
