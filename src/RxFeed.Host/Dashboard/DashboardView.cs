using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RxFeed.Host.Dashboard;

/// <summary>One symbol's row of the live dashboard, as plain values (so rendering is a pure function, testable on a test console).</summary>
internal sealed record DashboardRow(
    string Symbol,
    string State,
    decimal? Bid,
    decimal? BidQty,
    decimal? Ask,
    decimal? AskQty,
    double FramesPerSecond,
    long LastUpdateId,
    TimeSpan? TickAge,
    long Reconnects,
    long Invalid,
    long Malformed,
    long OutOfOrder,
    string? Quote,
    int LiveOrders);

/// <summary>Renders the <c>run</c> dashboard: a table per symbol, refreshed by the caller a few times a second.</summary>
internal static class DashboardView
{
    public static IRenderable Render(IReadOnlyList<DashboardRow> rows, string title)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (string column in new[] { "symbol", "state", "bid", "ask", "spread bps", "frames/s", "last u", "age", "reconnects", "drops inv/mal/ooo", "quote", "orders" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (DashboardRow r in rows)
        {
            table.AddRow(
                Markup.Escape(r.Symbol),
                $"[{StateColor(r.State)}]{Markup.Escape(r.State)}[/]",
                Text(r.Bid),
                Text(r.Ask),
                SpreadBps(r.Bid, r.Ask),
                r.FramesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                r.LastUpdateId.ToString(CultureInfo.InvariantCulture),
                r.TickAge is { } age ? $"{age.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms" : "-",
                r.Reconnects.ToString(CultureInfo.InvariantCulture),
                $"{r.Invalid}/{r.Malformed}/{r.OutOfOrder}",
                Markup.Escape(r.Quote ?? "-"),
                r.LiveOrders.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>Who is faster: per endpoint the ticks it delivered first, its share, its lead (µs), duplicates and late ticks.</summary>
    /// <param name="race">The merge's counts.</param>
    /// <returns>The endpoint table.</returns>
    public static IRenderable RenderEndpoints(RxFeed.Diagnostics.ArrivalRace race)
    {
        ArgumentNullException.ThrowIfNull(race);
        var table = new Table().Border(TableBorder.Rounded).Title("endpoints");
        foreach (string column in new[] { "endpoint", "first", "first %", "lead p50 us", "lead p99 us", "duplicates", "late" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        long delivered = race.Delivered;
        foreach (RxFeed.Diagnostics.SourceArrivals s in race.Sources)
        {
            table.AddRow(
                Markup.Escape(s.Name),
                s.First.ToString(CultureInfo.InvariantCulture),
                (delivered == 0 ? 0 : 100.0 * s.First / delivered).ToString("0.0", CultureInfo.InvariantCulture),
                (s.Lead.Percentile(0.5) / 1000.0).ToString("0", CultureInfo.InvariantCulture),
                (s.Lead.Percentile(0.99) / 1000.0).ToString("0", CultureInfo.InvariantCulture),
                s.Duplicates.ToString(CultureInfo.InvariantCulture),
                s.Late.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>
    /// The line a redirected <c>rxfeed run</c> prints per symbol every 2 s, as the original bot did:
    /// <c>ADAUSDT Live bid 0.3581 x 100 ask 0.3582 x 250 spread 0.0001 (2.79 bps) 10.0 frames/s</c>.
    /// </summary>
    /// <param name="r">The symbol's row.</param>
    /// <returns>The line.</returns>
    public static string StatusLine(DashboardRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string spread = r.Bid is decimal b && r.Ask is decimal a ? $"{(a - b).ToString(CultureInfo.InvariantCulture)} ({SpreadBps(b, a)} bps)" : "-";
        return $"{r.Symbol} {r.State} bid {Text(r.Bid)} x {Text(r.BidQty)} ask {Text(r.Ask)} x {Text(r.AskQty)} spread {spread} " +
            $"{r.FramesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} frames/s";
    }

    /// <summary>The line saying which symbols a configuration change added and removed: <c>symbols: +ETHUSDT -ADAUSDT</c>.</summary>
    /// <param name="added">Subscribed.</param>
    /// <param name="removed">Unsubscribed.</param>
    /// <returns>The line.</returns>
    public static string SymbolsLine(IReadOnlyList<string> added, IReadOnlyList<string> removed) =>
        "symbols: " + string.Join(' ', added.Select(s => "+" + s).Concat(removed.Select(s => "-" + s)));

    /// <summary>Spread in basis points of the mid, or "-" when a side is missing.</summary>
    public static string SpreadBps(decimal? bid, decimal? ask)
    {
        if (bid is not decimal b || ask is not decimal a || a + b == 0)
        {
            return "-";
        }

        decimal bps = (a - b) / ((a + b) / 2) * 10000m;
        return Math.Round(bps, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string StateColor(string state) => state switch
    {
        "Live" => "green",
        "Degraded" => "greenyellow",
        "Stale" => "yellow",
        "Crossed" => "red",
        "Recovering" => "orange1",
        _ => "grey",
    };
}
