using System.Globalization;
using System.Text;
using System.Text.Json;
using RxFeed.Exchange.Market;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Faults;

/// <summary>Builds the bad frames of <see cref="BadFrameKind"/> from the last book ticker of a stream.</summary>
internal static class BadFrameFactory
{
    /// <summary>The size of an oversized frame: past the 1 MiB cap clients use.</summary>
    public const int OversizedBytes = (1 << 20) + 4096;

    /// <summary>Builds one bad payload.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="stream">The book ticker stream.</param>
    /// <param name="hub">The hub (last ticker; records an injected inverted ticker so <c>u</c> keeps rising).</param>
    /// <param name="variant">Which variant of a kind with several (0, 1, 2…).</param>
    /// <param name="enveloped">Set when the payload belongs inside the connection's envelope; garbage-level kinds replace the whole frame.</param>
    /// <returns>The payload.</returns>
    public static byte[] Build(BadFrameKind kind, string stream, MarketHub hub, int variant, out bool enveloped)
    {
        var last = Last(stream, hub);
        enveloped = kind is not BadFrameKind.Garbage and not BadFrameKind.Truncated;
        switch (kind)
        {
            case BadFrameKind.Garbage:
                return Encoding.UTF8.GetBytes(variant % 2 == 0 ? "this is not json {{{" : "{\"u\":1,\"s\":\"X\",");
            case BadFrameKind.Truncated:
                var whole = Payload(last.Symbol, last.UpdateId + 1, last.Bid, last.BidQty, last.Ask, last.AskQty);
                return whole.AsSpan(0, whole.Length / 2).ToArray();
            case BadFrameKind.Oversized:
                var pad = new string('x', OversizedBytes);
                return Encoding.UTF8.GetBytes($"{{\"u\":{last.UpdateId + 1},\"s\":\"{last.Symbol}\",\"b\":\"{last.Bid}\",\"B\":\"{last.BidQty}\",\"a\":\"{last.Ask}\",\"A\":\"{last.AskQty}\",\"pad\":\"{pad}\"}}");
            case BadFrameKind.InvalidFields:
                return (variant % 4) switch
                {
                    0 => Payload(last.Symbol, last.UpdateId + 1, "-" + last.Bid, last.BidQty, last.Ask, last.AskQty),
                    1 => Encoding.UTF8.GetBytes($"{{\"u\":\"{last.UpdateId + 1}\",\"s\":\"{last.Symbol}\",\"b\":\"{last.Bid}\",\"B\":\"{last.BidQty}\",\"a\":\"{last.Ask}\",\"A\":\"{last.AskQty}\"}}"),
                    2 => Payload(last.Symbol, last.UpdateId + 1, last.Bid, last.BidQty, "1e3", last.AskQty),
                    _ => Encoding.UTF8.GetBytes($"{{\"u\":{last.UpdateId + 1},\"s\":\"{last.Symbol}\",\"b\":\"{last.Bid}\",\"a\":\"{last.Ask}\",\"A\":\"{last.AskQty}\"}}"),
                };
            case BadFrameKind.Duplicate:
                return last.Raw ?? Payload(last.Symbol, last.UpdateId, last.Bid, last.BidQty, last.Ask, last.AskQty);
            case BadFrameKind.OlderUpdateId:
                return Payload(last.Symbol, Math.Max(1, last.UpdateId - 1 - variant), last.Bid, last.BidQty, last.Ask, last.AskQty);
            default:
                // Crossed: bid and ask swapped (or equal when they were), with a rising u so it is delivered, flagged.
                var u = last.UpdateId + 1;
                var inverted = Payload(last.Symbol, u, last.Ask, last.AskQty, last.Bid, last.BidQty);
                hub.RecordTicker(stream, inverted, u);
                return inverted;
        }
    }

    /// <summary>The book ticker streams a connection holds (its first stream when it holds none, so every connection gets the fault).</summary>
    /// <param name="session">The connection.</param>
    /// <returns>The streams.</returns>
    public static IReadOnlyList<string> TargetStreams(ClientSession session)
    {
        var streams = session.ListSubscriptions();
        var tickers = streams.Where(StreamNames.IsBookTicker).ToList();
        return tickers.Count > 0 ? tickers : [];
    }

    private static byte[] Payload(string symbol, long u, string bid, string bidQty, string ask, string askQty) =>
        Encoding.UTF8.GetBytes($"{{\"u\":{u.ToString(CultureInfo.InvariantCulture)},\"s\":\"{symbol}\",\"b\":\"{bid}\",\"B\":\"{bidQty}\",\"a\":\"{ask}\",\"A\":\"{askQty}\"}}");

    private static (string Symbol, long UpdateId, string Bid, string BidQty, string Ask, string AskQty, byte[]? Raw) Last(string stream, MarketHub hub)
    {
        var fallbackSymbol = stream[..stream.IndexOf('@', StringComparison.Ordinal)].ToUpperInvariant();
        if (hub.TryGetLastTicker(stream, out var last))
        {
            try
            {
                using var document = JsonDocument.Parse(last.Payload);
                var root = document.RootElement;
                return (
                    root.GetProperty("s").GetString() ?? fallbackSymbol,
                    last.UpdateId,
                    root.GetProperty("b").GetString() ?? "1.0",
                    root.GetProperty("B").GetString() ?? "1.0",
                    root.GetProperty("a").GetString() ?? "1.1",
                    root.GetProperty("A").GetString() ?? "1.0",
                    last.Payload.ToArray());
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // The last payload was itself not a plain ticker; fall back to a made-up one.
            }
        }

        return (fallbackSymbol, Math.Max(hub.LastUpdateId(stream), 1000), "100.00000000", "1.00000000", "100.01000000", "1.00000000", null);
    }
}
