using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RxFeed.Book;
using RxFeed.Diagnostics;

namespace RxFeed.Host.Output;

/// <summary>The <c>--json</c> summary shared by <c>replay</c> and <c>run</c>, and the per-line shapes of the outputs.</summary>
internal static class SummaryJson
{
    /// <summary>Writes the summary object: the replay keys, then whatever the verb adds.</summary>
    /// <param name="output">Where (stdout).</param>
    /// <param name="lines">Non-blank lines (or frames received, in <c>run</c>).</param>
    /// <param name="counts">The frame counts.</param>
    /// <param name="extra">The verb's own keys, or null.</param>
    /// <param name="market">The books and trades built beside the book tickers, or null: then depth, trade and snapshot lines stay <c>other</c>.</param>
    public static void Write(Stream output, long lines, FeedCountsSnapshot counts, Action<Utf8JsonWriter>? extra = null, MarketDataBooks? market = null)
    {
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("lines", lines);
            json.WriteNumber("bookTickers", counts.BookTickers);
            json.WriteNumber("inverted", counts.Inverted);
            json.WriteNumber("invalid", counts.Invalid);
            json.WriteNumber("malformed", counts.Malformed);
            json.WriteNumber("outOfOrder", counts.OutOfOrder);
            json.WriteNumber("other", counts.Other - (market?.Frames ?? 0));
            json.WriteNumber("control", counts.Control);
            if (market is not null)
            {
                json.WriteNumber("depth", market.Depth);
                json.WriteNumber("trades", market.Trades);
                json.WriteNumber("snapshots", market.Snapshots);
                json.WriteNumber("invalidDepth", market.InvalidDepth);
                json.WriteNumber("invalidTrades", market.InvalidTrades);
                json.WriteNumber("invalidSnapshots", market.InvalidSnapshots);
                json.WriteNumber("tradesOutOfOrder", market.TradesOutOfOrder);
            }

            json.WriteStartObject("symbols");
            var names = new SortedSet<string>(counts.Symbols.Keys, StringComparer.Ordinal);
            if (market is not null)
            {
                names.UnionWith(market.Books.Keys);
                names.UnionWith(market.TradesBySymbol.Keys);
            }

            foreach (string symbol in names)
            {
                SymbolCounts s = counts.Symbols.TryGetValue(symbol, out SymbolCounts? found) ? found : new SymbolCounts(0, 0, 0, 0, "0", "0");
                json.WriteStartObject(symbol);
                json.WriteNumber("bookTickers", s.BookTickers);
                json.WriteNumber("inverted", s.Inverted);
                json.WriteNumber("outOfOrder", s.OutOfOrder);
                json.WriteNumber("lastUpdateId", s.LastUpdateId);
                json.WriteString("bidSum", s.BidSum);
                json.WriteString("askSum", s.AskSum);
                if (market is not null)
                {
                    if (market.Books.TryGetValue(symbol, out OrderBook? book))
                    {
                        WriteBook(json, book);
                    }

                    json.WriteNumber("trades", market.TradesBySymbol.GetValueOrDefault(symbol));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            extra?.Invoke(json);
            json.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>A book's counts and its best prices (null while unsynced or empty).</summary>
    private static void WriteBook(Utf8JsonWriter json, OrderBook book)
    {
        BookCounts c = book.Counts;
        json.WriteStartObject("book");
        json.WriteNumber("events", c.Events);
        json.WriteNumber("applied", c.Applied);
        json.WriteNumber("dropped", c.Dropped);
        json.WriteNumber("gaps", c.Gaps);
        json.WriteNumber("resyncs", c.Resyncs);
        json.WriteNumber("crossed", c.Crossed);
        WriteBest(json, "bestBid", book.Bids);
        WriteBest(json, "bestAsk", book.Asks);
        json.WriteBoolean("synced", book.IsSynced);
        json.WriteEndObject();
    }

    private static void WriteBest(Utf8JsonWriter json, string name, BookSide side)
    {
        if (side.TryGetBest(out PriceLevel best))
        {
            json.WriteString(name, Text(best.Price));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Writes a <c>--book-out</c> line's properties: the book's top levels, best first.</summary>
    /// <param name="json">The line's writer.</param>
    /// <param name="book">The book, just after an applied event.</param>
    /// <param name="ts">The receive time of the frame that applied it.</param>
    /// <param name="levels">How many levels per side.</param>
    public static void WriteBookLine(Utf8JsonWriter json, OrderBook book, long ts, int levels)
    {
        json.WriteNumber("ts", ts);
        json.WriteString("s", book.Symbol);
        json.WriteNumber("u", book.UpdateId);
        WriteLevels(json, "bids", book.Bids, levels);
        WriteLevels(json, "asks", book.Asks, levels);
    }

    /// <summary>Writes a delivered trade's <c>--trades-out</c> properties.</summary>
    /// <param name="json">The line's writer.</param>
    /// <param name="t">The trade.</param>
    public static void WriteTrade(Utf8JsonWriter json, in Trade t)
    {
        json.WriteNumber("ts", t.ReceivedNs);
        json.WriteString("s", t.Symbol);
        json.WriteNumber("t", t.TradeId);
        json.WriteString("p", Text(t.Price));
        json.WriteString("q", Text(t.Quantity));
        json.WriteNumber("T", t.TradeTime);
        json.WriteBoolean("m", t.BuyerIsMaker);
    }

    private static void WriteLevels(Utf8JsonWriter json, string name, BookSide side, int levels)
    {
        json.WriteStartArray(name);
        for (int i = 0, n = Math.Min(levels, side.Count); i < n; i++)
        {
            PriceLevel level = side[i];
            json.WriteStartArray();
            json.WriteStringValue(Text(level.Price));
            json.WriteStringValue(Text(level.Quantity));
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes a delivered tick's <c>--ticks-out</c> properties.</summary>
    /// <param name="json">The line's writer.</param>
    /// <param name="t">The tick.</param>
    public static void WriteTick(Utf8JsonWriter json, in BookTicker t)
    {
        json.WriteNumber("ts", t.ReceivedNs);
        json.WriteString("s", t.Symbol);
        json.WriteNumber("u", t.UpdateId);
        json.WriteString("b", Text(t.BidPrice));
        json.WriteString("B", Text(t.BidQty));
        json.WriteString("a", Text(t.AskPrice));
        json.WriteString("A", Text(t.AskQty));
        json.WriteBoolean("inverted", t.IsInverted);
    }

    /// <summary>Decimals are JSON strings, exact, in invariant culture.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its text.</returns>
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
