using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RxFeed.Exchange.Sessions;

/// <summary>
/// Answers Binance's control messages (<c>SUBSCRIBE</c>, <c>UNSUBSCRIBE</c>, <c>LIST_SUBSCRIPTIONS</c>,
/// <c>SET_PROPERTY</c>, <c>GET_PROPERTY</c>) with Binance's reply shapes: <c>{"result":null,"id":1}</c>, and errors as
/// <c>{"error":{"code":2,"msg":"…"},"id":1}</c> when the request id is known or <c>{"code":3,"msg":"…"}</c> when it is not.
/// </summary>
internal static class ControlRequestHandler
{
    private const string MethodList = "expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Handles one request.</summary>
    /// <param name="request">The message text as UTF-8.</param>
    /// <param name="target">The connection it acts on.</param>
    /// <param name="isError">Set when the reply is an error.</param>
    /// <returns>The reply as UTF-8.</returns>
    public static byte[] Handle(ReadOnlyMemory<byte> request, IControlTarget target, out bool isError)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            isError = true;
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            return Error(null, 3, $"Invalid JSON: expected value at line {line} column {column}");
        }

        using (document)
        {
            try
            {
                var reply = Dispatch(document.RootElement, target);
                isError = reply.IsError;
                return reply.Bytes;
            }
            catch (InvalidOperationException)
            {
                // Well-formed JSON whose strings cannot be read as text (an escaped lone surrogate).
                isError = true;
                return Error(null, 2, "Invalid request: a string is not valid Unicode");
            }
        }
    }

    private static (byte[] Bytes, bool IsError) Dispatch(JsonElement root, IControlTarget target)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (Error(null, 2, $"Invalid request: invalid type: {Describe(root)}, expected a map"), true);
        }

        if (!root.TryGetProperty("id", out var id) || !(id.ValueKind == JsonValueKind.Null || (id.ValueKind == JsonValueKind.Number && id.TryGetUInt64(out _))))
        {
            return (Error(null, 2, "Invalid request: request ID must be an unsigned integer"), true);
        }

        var idText = id.GetRawText();
        if (!root.TryGetProperty("method", out var method))
        {
            return (Error(idText, 2, "Invalid request: missing field `method`"), true);
        }

        if (method.ValueKind != JsonValueKind.String)
        {
            return (Error(idText, 2, $"Invalid request: invalid type: {Describe(method)}, expected a method name"), true);
        }

        var hasParams = root.TryGetProperty("params", out var parameters);
        if (hasParams && parameters.ValueKind != JsonValueKind.Array && parameters.ValueKind != JsonValueKind.Null)
        {
            return (Error(idText, 2, $"Invalid request: invalid type: {Describe(parameters)}, expected a sequence"), true);
        }

        var items = hasParams && parameters.ValueKind == JsonValueKind.Array ? parameters.EnumerateArray().ToArray() : [];
        return method.GetString() switch
        {
            "SUBSCRIBE" or "UNSUBSCRIBE" when !hasParams || parameters.ValueKind == JsonValueKind.Null =>
                (Error(idText, 2, "Invalid request: missing field `params`"), true),
            "SUBSCRIBE" => Subscribe(idText, items, target, subscribe: true),
            "UNSUBSCRIBE" => Subscribe(idText, items, target, subscribe: false),
            "LIST_SUBSCRIPTIONS" => items.Length > 0
                ? (Error(idText, 2, "Invalid request: too many parameters"), true)
                : (Result(idText, w => WriteStrings(w, target.ListSubscriptions())), false),
            "SET_PROPERTY" => SetProperty(idText, items, target),
            "GET_PROPERTY" => GetProperty(idText, items, target),
            var other => (Error(idText, 2, $"Invalid request: unknown variant `{other}`, {MethodList}"), true),
        };
    }

    private static (byte[] Bytes, bool IsError) Subscribe(string id, JsonElement[] items, IControlTarget target, bool subscribe)
    {
        var streams = new List<string>(items.Length);
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (Error(id, 2, $"Invalid request: invalid type: {Describe(item)}, expected a stream name"), true);
            }

            var name = item.GetString()!;
            if (!StreamNames.IsValid(name))
            {
                return (Error(id, 2, $"Invalid request: invalid stream name `{name}`"), true);
            }

            streams.Add(name);
        }

        if (!subscribe)
        {
            target.Unsubscribe(streams);
            return (Result(id, w => w.WriteNullValue()), false);
        }

        var failure = target.Subscribe(streams);
        return failure is null ? (Result(id, w => w.WriteNullValue()), false) : (Error(id, 2, failure), true);
    }

    private static (byte[] Bytes, bool IsError) SetProperty(string id, JsonElement[] items, IControlTarget target)
    {
        if (items.Length == 0 || items[0].ValueKind != JsonValueKind.String)
        {
            return (Error(id, 2, "Invalid request: property name must be a string"), true);
        }

        if (items[0].GetString() != "combined")
        {
            return (Error(id, 0, "Unknown property"), true);
        }

        if (items.Length > 2)
        {
            return (Error(id, 2, "Invalid request: too many parameters"), true);
        }

        if (items.Length < 2 || items[1].ValueKind is not JsonValueKind.True and not JsonValueKind.False)
        {
            return (Error(id, 1, "Invalid value type: expected Boolean"), true);
        }

        target.Combined = items[1].GetBoolean();
        return (Result(id, w => w.WriteNullValue()), false);
    }

    private static (byte[] Bytes, bool IsError) GetProperty(string id, JsonElement[] items, IControlTarget target)
    {
        if (items.Length == 0 || items[0].ValueKind != JsonValueKind.String)
        {
            return (Error(id, 2, "Invalid request: property name must be a string"), true);
        }

        if (items[0].GetString() != "combined")
        {
            return (Error(id, 0, "Unknown property"), true);
        }

        if (items.Length > 1)
        {
            return (Error(id, 2, "Invalid request: too many parameters"), true);
        }

        var combined = target.Combined;
        return (Result(id, w => w.WriteBooleanValue(combined)), false);
    }

    private static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static byte[] Result(string id, Action<Utf8JsonWriter> writeResult) => Write(writer =>
    {
        writer.WritePropertyName("result");
        writeResult(writer);
        writer.WritePropertyName("id");
        writer.WriteRawValue(id, skipInputValidation: true);
    });

    /// <summary>An error reply: wrapped with the id when it is known, bare otherwise.</summary>
    private static byte[] Error(string? id, int code, string message) => Write(writer =>
    {
        if (id is null)
        {
            writer.WriteNumber("code", code);
            writer.WriteString("msg", message);
            return;
        }

        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("msg", message);
        writer.WriteEndObject();
        writer.WritePropertyName("id");
        writer.WriteRawValue(id, skipInputValidation: true);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "map",
        JsonValueKind.Array => "sequence",
        JsonValueKind.String => $"string \"{element.GetString()}\"",
        JsonValueKind.Number => $"number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean `{element.GetRawText()}`",
        _ => "null",
    };
}
