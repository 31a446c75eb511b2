using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text.Json;
using RxFeed.Health;

namespace RxFeed.Nats.Tests;

/// <summary><c>rxfeed run --source nats://…</c> as a process: the quote engine and paper orders on ticks that a publisher sends over a real nats-server.</summary>
[Collection(NatsCollection.Name)]
public sealed class RunSourceTests(NatsServerFixture server)
{
    [NatsFact]
    public async Task RunSource_QuotesAndPlacesOrdersOnTheNatsFeed_EveryTickInOrder()
    {
        string prefix = "src" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var options = new NatsFeedOptions { Url = server.Url, Prefix = prefix };
        var ticks = new Subject<BookTicker>();
        await using NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        string dir = Directory.CreateTempSubdirectory("rxfeed-source-").FullName;
        string ticksOut = Path.Combine(dir, "ticks.ndjson");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["RxFeed__Nats__Prefix"] = prefix;
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"), "run", "--source", server.Url.ToString(), "--symbols", "ADAUSDT", "--json", "--max-ticks", "40", "--ticks-out", ticksOut })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        // A market that moves each tick, sent until the run has taken its 40 and stopped by itself.
        using var hung = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (long u = 1; !process.HasExited; u++)
        {
            decimal bid = 0.3500m + (u % 20 * 0.0001m);
            ticks.OnNext(new BookTicker("ADAUSDT", u, bid, 100m, bid + 0.0002m, 120m, 1_700_000_000_000_000_000 + u));
            await Task.Delay(10, hung.Token);
        }

        await process.WaitForExitAsync(hung.Token);
        process.ExitCode.Should().Be(0, await stderr);
        using JsonDocument summary = JsonDocument.Parse(await stdout);
        JsonElement root = summary.RootElement;
        root.GetProperty("bookTickers").GetInt64().Should().BeGreaterThanOrEqualTo(40);
        root.GetProperty("malformed").GetInt64().Should().Be(0);
        root.GetProperty("quotes").GetInt64().Should().BePositive();
        root.GetProperty("orders").GetProperty("placed").GetInt64().Should().BePositive();
        long[] us = [.. File.ReadLines(ticksOut).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("u").GetInt64())];
        us.Should().HaveCountGreaterThanOrEqualTo(40).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
        Directory.Delete(dir, recursive: true);
    }
}
