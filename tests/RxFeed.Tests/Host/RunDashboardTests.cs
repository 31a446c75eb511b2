using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Host.Dashboard;
using RxFeed.Quoting;
using Spectre.Console.Testing;

namespace RxFeed.Tests.Host;

/// <summary><see cref="RunDashboard"/> following a real quoting session in virtual time, rendered to a Spectre test console.</summary>
public sealed class RunDashboardTests
{
    [Fact]
    public void Render_AfterAFreshTick_ShowsLiveStateQuoteAndOrders()
    {
        var scheduler = new TestScheduler();
        var ticks = new Subject<BookTicker>();

        // Never subscribed, so it opens no socket; the dashboard reads only its counters.
        var connection = new FeedConnection(new FeedConnectionOptions { Endpoint = new Uri("ws://127.0.0.1:1/ws"), Symbols = ["ADAUSDT"] }, scheduler: scheduler);
        using QuotingSession session = QuotingSession.Attach(ticks, new QuotingSessionOptions(), scheduler: scheduler);
        using var dashboard = new RunDashboard(["ADAUSDT", "BTCUSDT"], session, connection, new FeedCounters());
        using IDisposable started = session.Start();
        var tick = new BookTicker("ADAUSDT", 4242, 100m, 5m, 101m, 6m, 0, false);

        ticks.OnNext(tick);
        dashboard.OnTick(tick);
        var console = new TestConsole().Width(220);
        console.Write(dashboard.Render());

        string[] lines = console.Output.Split('\n');
        lines.Should().Contain(l => l.Contains("rxfeed run — 0 connections", StringComparison.Ordinal));
        string[] ada = Cells(lines.Single(l => l.Contains("ADAUSDT", StringComparison.Ordinal)));
        ada[..5].Should().Equal("ADAUSDT", "Live", "100", "101", "99.50");
        ada[6].Should().Be("4242");
        ada[10].Should().MatchRegex(@"^99\.9\d* / 101\.101\d*$", "the default 10 bps venue spread around 100 / 101");
        ada[11].Should().Be("2", "one paper order per side follows the quote");
        Cells(lines.Single(l => l.Contains("BTCUSDT", StringComparison.Ordinal)))[..5].Should().Equal("BTCUSDT", "Connecting", "-", "-", "-");
    }

    [Fact]
    public async Task SymbolsChanged_ShownInTheTitleAndOnceInTheStatusLines()
    {
        var scheduler = new TestScheduler();
        var ticks = new Subject<BookTicker>();
        var links = new Subject<LinkEvent>();
        var connection = new FeedConnection(new FeedConnectionOptions { Endpoint = new Uri("ws://127.0.0.1:1/ws"), Symbols = ["ADAUSDT"] }, scheduler: scheduler);
        using QuotingSession session = QuotingSession.Attach(ticks, new QuotingSessionOptions(), links, scheduler);
        using var dashboard = new RunDashboard(["ADAUSDT"], session, connection, new FeedCounters());
        using IDisposable started = session.Start();

        dashboard.SymbolsChanged(["BTCUSDT"], ["ADAUSDT"]);
        links.OnNext(new LinkEvent(LinkState.Removed, "removed from the configuration", ["ADAUSDT"], 1));
        var console = new TestConsole().Width(220);
        console.Write(dashboard.Render());
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task plain = dashboard.RunPlainAsync(output, TimeSpan.FromMilliseconds(10), stop.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (output.ToString().Split('\n').Count(l => l.StartsWith("BTCUSDT", StringComparison.Ordinal)) < 2)
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "two rounds of status lines");
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await plain;

        console.Output.Should().Contain("symbols: +BTCUSDT -ADAUSDT");
        Cells(console.Output.Split('\n').Single(l => l.Contains("ADAUSDT", StringComparison.Ordinal) && l.Contains('│')))[1].Should().Be("Removed");
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l == "symbols: +BTCUSDT -ADAUSDT").Should().Be(1, "a change is told once");
        lines.Should().Contain(l => l.StartsWith("ADAUSDT Removed", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("BTCUSDT Connecting", StringComparison.Ordinal));
    }

    private static string[] Cells(string row) =>
        [.. row.Split('│', StringSplitOptions.TrimEntries).Where(c => c.Length > 0)];
}
