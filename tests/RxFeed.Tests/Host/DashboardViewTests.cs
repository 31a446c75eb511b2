using RxFeed.Host.Dashboard;
using Spectre.Console.Testing;

namespace RxFeed.Tests.Host;

/// <summary>The <c>run</c> dashboard rendered to a Spectre test console for a fixed state.</summary>
public sealed class DashboardViewTests
{
    [Fact]
    public void Render_FixedState_ShowsEveryColumnPerSymbol()
    {
        var console = new TestConsole().Width(220);
        DashboardRow[] rows =
        [
            new("ADAUSDT", "Live", 0.3581m, 100m, 0.3582m, 250m, 12.5, 123456, TimeSpan.FromMilliseconds(250), 2, 1, 4, 3, "0.357384 / 0.358916", 2),
            new("BTCUSDT", "Connecting", null, null, null, null, 0, 0, null, 0, 0, 0, 0, null, 0),
        ];

        console.Write(DashboardView.Render(rows, "rxfeed run — 1 connections"));

        string[] lines = console.Output.Split('\n');
        lines.Should().Contain(l => l.Contains("rxfeed run — 1 connections", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("symbol", StringComparison.Ordinal) && l.Contains("spread bps", StringComparison.Ordinal) && l.Contains("drops inv/mal/ooo", StringComparison.Ordinal));
        string ada = lines.Single(l => l.Contains("ADAUSDT", StringComparison.Ordinal));
        ada.Should().ContainAll("Live", "0.3581", "0.3582", "2.79", "12.5", "123456", "250ms", "1/4/3", "0.357384 / 0.358916");
        Cells(ada).Should().Equal("ADAUSDT", "Live", "0.3581", "0.3582", "2.79", "12.5", "123456", "250ms", "2", "1/4/3", "0.357384 / 0.358916", "2");
        Cells(lines.Single(l => l.Contains("BTCUSDT", StringComparison.Ordinal)))
            .Should().Equal("BTCUSDT", "Connecting", "-", "-", "-", "0.0", "0", "-", "0", "0/0/0", "-", "0");
    }

    [Fact]
    public void RenderEndpoints_TwoEndpoints_FirstShareLeadDuplicatesLatePerEndpoint()
    {
        using var a = new System.Reactive.Subjects.Subject<BookTicker>();
        using var b = new System.Reactive.Subjects.Subject<BookTicker>();
        var race = new RxFeed.Diagnostics.ArrivalRace(["ws://a/ws", "ws://b/ws"]);
        using IDisposable merge = new[] { a, b }.MergeFirstArrival(race).Subscribe(_ => { });
        for (long u = 1; u <= 4; u++)
        {
            b.OnNext(new BookTicker("ETHUSDT", u, 1m, 1m, 2m, 1m, u * 10_000_000));
            a.OnNext(new BookTicker("ETHUSDT", u, 1m, 1m, 2m, 1m, (u * 10_000_000) + 5_000_000));
        }

        var console = new TestConsole().Width(160);
        console.Write(DashboardView.RenderEndpoints(race));

        string[] lines = console.Output.Split('\n');
        Cells(lines.Single(l => l.Contains("ws://b/ws", StringComparison.Ordinal))).Should().Equal("ws://b/ws", "4", "100.0", "5000", "5000", "0", "0");
        Cells(lines.Single(l => l.Contains("ws://a/ws", StringComparison.Ordinal))).Should().Equal("ws://a/ws", "0", "0.0", "0", "0", "4", "0");
        RxFeed.Host.Output.EndpointSummary.Line(race.Sources[1], race.Delivered)
            .Should().Be("endpoint ws://b/ws first 4 (100.0%) lead p50 5000us p99 5000us, 0 duplicates, 0 late");
    }

    [Fact]
    public void StatusLine_RedirectedRun_SymbolStateBidAskSizesSpreadAndRate()
    {
        var live = new DashboardRow("ADAUSDT", "Live", 0.3581m, 100m, 0.3582m, 250m, 12.5, 123456, TimeSpan.FromMilliseconds(250), 2, 1, 4, 3, null, 0);
        var waiting = new DashboardRow("BTCUSDT", "Connecting", null, null, null, null, 0, 0, null, 0, 0, 0, 0, null, 0);

        DashboardView.StatusLine(live).Should().Be("ADAUSDT Live bid 0.3581 x 100 ask 0.3582 x 250 spread 0.0001 (2.79 bps) 12.5 frames/s");
        DashboardView.StatusLine(waiting).Should().Be("BTCUSDT Connecting bid - x - ask - x - spread - 0.0 frames/s");
    }

    [Theory]
    [InlineData("100", "101", "99.50")]
    [InlineData("0.3581", "0.3582", "2.79")]
    [InlineData("5", "5", "0.00")]
    public void SpreadBps_BidAndAsk_IsBasisPointsOfTheMid(string bid, string ask, string expected)
    {
        DashboardView.SpreadBps(decimal.Parse(bid, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(ask, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(expected);
    }

    private static string[] Cells(string row) =>
        [.. row.Split('│', StringSplitOptions.TrimEntries).Where(c => c.Length > 0)];
}
