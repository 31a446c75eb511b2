using System.Text.Json.Serialization;

namespace RxFeed;

/// <summary>
/// One best bid/ask update of a symbol, exactly as Binance sent it: prices and sizes are exact
/// <see cref="decimal"/> values, never floating point.
/// </summary>
/// <param name="Symbol">The symbol (<c>s</c>), e.g. <c>ADAUSDT</c>.</param>
/// <param name="UpdateId">The order book update id (<c>u</c>); rises per symbol but skips values.</param>
/// <param name="BidPrice">Best bid price (<c>b</c>).</param>
/// <param name="BidQty">Best bid size (<c>B</c>).</param>
/// <param name="AskPrice">Best ask price (<c>a</c>).</param>
/// <param name="AskQty">Best ask size (<c>A</c>).</param>
/// <param name="ReceivedNs">Local receive time in nanoseconds since the Unix epoch (virtual time in replays).</param>
/// <param name="IsInverted">True when bid &gt;= ask (set by <c>FlagInvertedSpreads</c>); never quoted on.</param>
public readonly record struct BookTicker(
    [property: JsonPropertyName("s")] string Symbol,
    [property: JsonPropertyName("u")] long UpdateId,
    [property: JsonPropertyName("b"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal BidPrice,
    [property: JsonPropertyName("B"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal BidQty,
    [property: JsonPropertyName("a"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal AskPrice,
    [property: JsonPropertyName("A"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal AskQty,
    [property: JsonPropertyName("ts")] long ReceivedNs = 0,
    [property: JsonPropertyName("inverted")] bool IsInverted = false);
