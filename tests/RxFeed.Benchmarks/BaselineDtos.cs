using System.Text.Json.Serialization;

namespace RxFeed.Benchmarks;

/// <summary>The STJ baseline's model: the combined-stream envelope with its book-ticker payload.</summary>
internal sealed class CombinedBookTickerDto
{
    [JsonPropertyName("stream")]
    public string? Stream { get; set; }

    [JsonPropertyName("data")]
    public BookTickerDto? Data { get; set; }
}

/// <summary>The book-ticker payload with exact decimals read from JSON strings.</summary>
internal sealed class BookTickerDto
{
    [JsonPropertyName("u")]
    public long UpdateId { get; set; }

    [JsonPropertyName("s")]
    public string? Symbol { get; set; }

    [JsonPropertyName("b")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal BidPrice { get; set; }

    [JsonPropertyName("B")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal BidQty { get; set; }

    [JsonPropertyName("a")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal AskPrice { get; set; }

    [JsonPropertyName("A")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal AskQty { get; set; }
}

/// <summary>Source-generated metadata, so the baseline pays no reflection and is the fastest idiomatic STJ path.</summary>
[JsonSerializable(typeof(CombinedBookTickerDto))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
