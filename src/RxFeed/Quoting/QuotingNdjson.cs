using System.Text.Json;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Output;

namespace RxFeed.Quoting;

/// <summary>The <c>--health-out</c>, <c>--quotes-out</c> and <c>--orders-out</c> line shapes of <c>host-cli.md</c>.</summary>
public static class QuotingNdjson
{
    /// <summary>Writes <c>{"ts":…,"s":…,"u":…,"bid":…,"ask":…,"bidQty":…,"askQty":…}</c> or <c>{"ts":…,"s":…,"cancel":true,"reason":…}</c>.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="quote">The quote update.</param>
    public static void WriteQuote(Utf8JsonWriter writer, in QuoteUpdate quote)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("ts", quote.TsNs);
        writer.WriteString("s", quote.Symbol);
        if (quote.IsCancel)
        {
            writer.WriteBoolean("cancel", true);
            writer.WriteString("reason", quote.Reason);
        }
        else
        {
            writer.WriteNumber("u", quote.UpdateId);
            WriteLevel(writer, quote.Level(0));
            if (quote.Levels is { } levels)
            {
                writer.WriteStartArray("levels");
                foreach (QuoteLevel level in levels)
                {
                    writer.WriteStartObject();
                    WriteLevel(writer, level);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
        }

        if (!string.Equals(quote.Symbol, quote.SourceSymbol, StringComparison.Ordinal) && quote.SourceSymbol is not null)
        {
            writer.WriteString("src", quote.SourceSymbol);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>{"ts":…,"s":…,"action":"place","side":"buy","id":…,"price":…,"qty":…}</c>, <c>{"ts":…,"s":…,"action":"cancel","id":…}</c>
    /// or <c>{"ts":…,"s":…,"action":"rejected","id":…}</c>.
    /// </summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="order">The order action.</param>
    public static void WriteOrder(Utf8JsonWriter writer, in OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("ts", order.TsNs);
        writer.WriteString("s", order.Symbol);
        if (order.Action == OrderAction.Place)
        {
            writer.WriteString("action", "place");
            writer.WriteString("side", order.Side == OrderSide.Buy ? "buy" : "sell");
            if (order.Level != 0)
            {
                writer.WriteNumber("level", order.Level);
            }

            writer.WriteString("id", order.ClientOrderId);
            NdjsonText.WriteDecimal(writer, "price", order.Price);
            NdjsonText.WriteDecimal(writer, "qty", order.Qty);
        }
        else
        {
            writer.WriteString("action", order.Action == OrderAction.Cancel ? "cancel" : "rejected");
            writer.WriteString("id", order.ClientOrderId);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>{"ts":…,"s":…,"state":"Live","reason":…}</c>.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="change">The health change.</param>
    public static void WriteHealth(Utf8JsonWriter writer, in HealthChange change)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("ts", change.TsNs);
        writer.WriteString("s", change.Symbol);
        writer.WriteString("state", StateName(change.State));
        writer.WriteString("reason", change.Reason);
        writer.WriteEndObject();
    }

    /// <summary>Opens a line writer of quote updates.</summary>
    /// <param name="stream">Where the lines go (left open).</param>
    /// <returns>The writer.</returns>
    public static OutputWriter<QuoteUpdate> Quotes(Stream stream) => OutputWriter.Ndjson<QuoteUpdate>(stream, WriteQuote);

    /// <summary>Opens a line writer of order actions.</summary>
    /// <param name="stream">Where the lines go (left open).</param>
    /// <returns>The writer.</returns>
    public static OutputWriter<OrderEvent> Orders(Stream stream) => OutputWriter.Ndjson<OrderEvent>(stream, WriteOrder);

    /// <summary>Opens a line writer of health changes.</summary>
    /// <param name="stream">Where the lines go (left open).</param>
    /// <returns>The writer.</returns>
    public static OutputWriter<HealthChange> Health(Stream stream) => OutputWriter.Ndjson<HealthChange>(stream, WriteHealth);

    private static string StateName(FeedState state) => state switch
    {
        FeedState.Connecting => "Connecting",
        FeedState.Live => "Live",
        FeedState.Stale => "Stale",
        FeedState.Crossed => "Crossed",
        FeedState.Degraded => "Degraded",
        FeedState.Removed => "Removed",
        _ => "Recovering",
    };

    private static void WriteLevel(Utf8JsonWriter writer, in QuoteLevel level)
    {
        if (level.Bid is { } bid)
        {
            NdjsonText.WriteDecimal(writer, "bid", bid);
        }

        if (level.Ask is { } ask)
        {
            NdjsonText.WriteDecimal(writer, "ask", ask);
        }

        if (level.BidQty is { } bidQty)
        {
            NdjsonText.WriteDecimal(writer, "bidQty", bidQty);
        }

        if (level.AskQty is { } askQty)
        {
            NdjsonText.WriteDecimal(writer, "askQty", askQty);
        }
    }
}
