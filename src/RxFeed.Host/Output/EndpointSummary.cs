using System.Globalization;
using System.Text.Json;
using RxFeed.Connection;
using RxFeed.Diagnostics;

namespace RxFeed.Host.Output;

/// <summary>Who is faster, per endpoint of a redundant run: the <c>"endpoints"</c> array of the summary and its plain lines.</summary>
internal static class EndpointSummary
{
    /// <summary>
    /// The run's counts with several endpoints: book tickers and symbols are the merged feed's (each tick once); the
    /// frames that never became a tick (invalid, malformed, out of order within an endpoint, other, control) are summed
    /// over the endpoints. Another endpoint's copy of a tick is a duplicate of that endpoint, never out of order.
    /// </summary>
    /// <param name="merged">The merged feed's counters.</param>
    /// <param name="feed">The endpoints.</param>
    /// <returns>The counts for the summary.</returns>
    public static FeedCountsSnapshot Counts(FeedCounters merged, RedundantFeed feed)
    {
        FeedCountsSnapshot counts = merged.Snapshot();
        FeedCountsSnapshot[] each = [.. feed.EndpointCounters.Select(c => c.Snapshot())];
        var faults = new Dictionary<Parsing.FrameFault, long>();
        foreach ((Parsing.FrameFault fault, long n) in each.SelectMany(e => e.Faults))
        {
            faults[fault] = faults.GetValueOrDefault(fault) + n;
        }

        return counts with
        {
            Invalid = each.Sum(e => e.Invalid),
            Malformed = each.Sum(e => e.Malformed),
            OutOfOrder = each.Sum(e => e.OutOfOrder),
            Other = each.Sum(e => e.Other),
            Control = each.Sum(e => e.Control),
            Faults = faults,
        };
    }

    /// <summary>Writes <c>"endpointMode"</c>, <c>"switches"</c> and <c>"endpoints":[{…}]</c>.</summary>
    /// <param name="json">The summary's writer, inside its object.</param>
    /// <param name="feed">The endpoints.</param>
    public static void Write(Utf8JsonWriter json, RedundantFeed feed)
    {
        json.WriteString("endpointMode", feed.Mode.ToString().ToLowerInvariant());
        json.WriteNumber("switches", feed.Switches);
        json.WriteStartArray("endpoints");
        for (int i = 0; i < feed.Connections.Count; i++)
        {
            SourceArrivals race = feed.Race.Sources[i];
            FeedCountsSnapshot counts = feed.EndpointCounters[i].Snapshot();
            FeedConnectionCounters connection = feed.Connections[i].Counters;
            json.WriteStartObject();
            json.WriteString("url", race.Name);
            json.WriteNumber("first", race.First);
            json.WriteNumber("firstShare", Share(race.First, feed.Race.Delivered));
            json.WriteNumber("duplicates", race.Duplicates);
            json.WriteNumber("late", race.Late);
            json.WriteStartObject("leadUs");
            json.WriteNumber("count", race.Lead.Count);
            json.WriteNumber("p50", race.Lead.Percentile(0.5) / 1000.0);
            json.WriteNumber("p99", race.Lead.Percentile(0.99) / 1000.0);
            json.WriteEndObject();
            json.WriteNumber("bookTickers", counts.BookTickers);
            json.WriteNumber("invalid", counts.Invalid);
            json.WriteNumber("malformed", counts.Malformed);
            json.WriteNumber("outOfOrder", counts.OutOfOrder);
            json.WriteNumber("connections", connection.ConnectionsOpened);
            json.WriteNumber("reconnects", connection.Reconnects);
            json.WriteNumber("errors", race.Errors);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>One line per endpoint, for the plain summary and the status lines.</summary>
    /// <param name="feed">The endpoints.</param>
    /// <returns>The lines.</returns>
    public static IEnumerable<string> Lines(RedundantFeed feed) =>
        feed.Race.Sources.Select(s => Line(s, feed.Race.Delivered));

    /// <summary>
    /// <c>endpoint ws://127.0.0.1:5000/ws first 9,812 (98.1%) lead p50 4,990us p99 5,310us, 9,990 duplicates, 0 late</c>.
    /// </summary>
    /// <param name="s">The endpoint's part in the race.</param>
    /// <param name="delivered">The ticks delivered in all.</param>
    /// <returns>The line.</returns>
    public static string Line(SourceArrivals s, long delivered) => string.Create(
        CultureInfo.InvariantCulture,
        $"endpoint {s.Name} first {s.First} ({Share(s.First, delivered) * 100:0.0}%) lead p50 {s.Lead.Percentile(0.5) / 1000.0:0}us p99 {s.Lead.Percentile(0.99) / 1000.0:0}us, {s.Duplicates} duplicates, {s.Late} late");

    private static double Share(long part, long all) => all == 0 ? 0 : Math.Round((double)part / all, 4);
}
