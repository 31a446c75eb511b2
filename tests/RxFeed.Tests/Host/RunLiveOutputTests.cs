using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RxFeed.Exchange;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary>
/// <c>rxfeed run</c> as a process against a fast local exchange: the contract's ordering of every output file, the plain
/// status lines of redirected output, and crossing candidates refused. Assertions are on counts and orders that do not
/// depend on how fast the machine is.
/// </summary>
public sealed partial class RunLiveOutputTests : TempDirectory
{
    [Fact]
    public async Task Run_HighRate_EveryOutputTsNeverDecreasesAndEveryCancelIsNoEarlierThanItsPlace()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "ADAUSDT" }, Rate = 500 } });
        string ticks = Path.Combine(Dir, "ticks.ndjson"), quotes = Path.Combine(Dir, "quotes.ndjson"), orders = Path.Combine(Dir, "orders.ndjson"), health = Path.Combine(Dir, "health.ndjson");

        Rxfeed.Result r = Rxfeed.Run(
            "run", "--endpoint", exchange.BaseUrl + "/ws", "--symbols", "adausdt", "--duration", "3s", "--json",
            "--ticks-out", ticks, "--quotes-out", quotes, "--orders-out", orders, "--health-out", health);

        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement summary = r.Json();
        summary.GetProperty("outputDrops").GetInt64().Should().Be(0);
        File.ReadAllLines(ticks).Should().HaveCount((int)summary.GetProperty("bookTickers").GetInt64());
        foreach (string file in new[] { ticks, quotes, orders, health })
        {
            File.ReadAllLines(file).Should().NotBeEmpty(Path.GetFileName(file));
            ShouldHaveTsNeverDecreasing(file);
        }

        ShouldCancelNoEarlierThanPlace(orders);
        JsonElement latency = summary.GetProperty("latencyUs");
        latency.GetProperty("p50").GetDouble().Should().BeLessThanOrEqualTo(latency.GetProperty("p99").GetDouble());
        latency.GetProperty("p99").GetDouble().Should().BeLessThanOrEqualTo(latency.GetProperty("max").GetDouble());
    }

    [Fact]
    public void Run_RedirectedWithoutJson_PrintsPlainStatusLinesPerSymbol()
    {
        Rxfeed.Result r = Rxfeed.Run("run", "--duration", "5s");

        r.ExitCode.Should().Be(0, r.Stderr);
        string[] status = [.. r.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("ADAUSDT ", StringComparison.Ordinal))];
        status.Should().NotBeEmpty("one status line per symbol every 2 s of a 5 s run: " + r.Stdout);
        status.Should().OnlyContain(l => StatusLine().IsMatch(l), r.Stdout);
        r.Stdout.Should().NotContain("\u001b[", "redirected output is plain text, no terminal escapes");
        r.Stdout.Should().Contain(" frames: ", "the plain summary follows the status lines");
    }

    [Fact]
    public async Task Run_NegativeAnchor_CrossingCandidatesRefusedAndNoQuoteCrosses()
    {
        // ADAUSDT trades near 0.35 on a 0.0001 tick (about 2.9 bps): a total of −2.5 bps moves each side about 0.0000875
        // towards the other, so a 1-tick market crosses and a 2- or 3-tick one does not.
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "ADAUSDT" }, Rate = 500, Seed = 7 } });
        string ticks = Path.Combine(Dir, "ticks.ndjson"), quotes = Path.Combine(Dir, "quotes.ndjson"), orders = Path.Combine(Dir, "orders.ndjson");

        Rxfeed.Result r = Rxfeed.Run(
            "run", "--endpoint", exchange.BaseUrl + "/ws", "--symbols", "adausdt", "--duration", "3s", "--json", "--anchor-bps", "-12.5",
            "--ticks-out", ticks, "--quotes-out", quotes, "--orders-out", orders);

        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement summary = r.Json();
        summary.GetProperty("crossingRefused").GetInt64().Should().BeGreaterThan(0);
        summary.GetProperty("quotes").GetInt64().Should().BeGreaterThan(0, "candidates of wider markets are still quoted");
        Dictionary<long, (decimal Bid, decimal Ask)> market = File.ReadLines(ticks).Select(Parse)
            .ToDictionary(t => t.GetProperty("u").GetInt64(), t => (Dec(t, "b"), Dec(t, "a")));
        JsonElement[] lines = [.. File.ReadLines(quotes).Select(Parse)];
        JsonElement[] placed = [.. lines.Where(l => !l.TryGetProperty("cancel", out _))];
        placed.Should().NotBeEmpty();
        foreach (JsonElement q in placed)
        {
            (decimal bid, decimal ask) = (Dec(q, "bid"), Dec(q, "ask"));
            (decimal b, decimal a) = market[q.GetProperty("u").GetInt64()];
            bid.Should().BeLessThan(ask, q.ToString());
            bid.Should().BeLessThan(a, "a quote's bid never reaches the market's ask: " + q);
            ask.Should().BeGreaterThan(b, "a quote's ask never reaches the market's bid: " + q);
        }

        lines.Where(l => l.TryGetProperty("cancel", out _)).Select(l => l.GetProperty("reason").GetString())
            .Should().Contain("Crossing", "a live quote is pulled when the next candidate would cross");
        ShouldHaveTsNeverDecreasing(quotes);
        ShouldHaveTsNeverDecreasing(orders);
        ShouldCancelNoEarlierThanPlace(orders);
    }

    private static void ShouldHaveTsNeverDecreasing(string path)
    {
        long[] ts = [.. File.ReadLines(path).Select(l => Parse(l).GetProperty("ts").GetInt64())];
        for (int i = 1; i < ts.Length; i++)
        {
            ts[i].Should().BeGreaterThanOrEqualTo(ts[i - 1], $"{Path.GetFileName(path)} line {i + 1}: ts never decreases");
        }
    }

    private static void ShouldCancelNoEarlierThanPlace(string path)
    {
        var placedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        int cancels = 0;
        foreach (JsonElement e in File.ReadLines(path).Select(Parse))
        {
            string id = e.GetProperty("id").GetString()!;
            long ts = e.GetProperty("ts").GetInt64();
            if (e.GetProperty("action").GetString() == "place")
            {
                placedAt.Add(id, ts);
            }
            else if (e.GetProperty("action").GetString() == "cancel")
            {
                placedAt.Should().ContainKey(id, "a cancel follows its place");
                ts.Should().BeGreaterThanOrEqualTo(placedAt[id], $"order {id}: a cancel never carries an earlier ts than its place");
                cancels++;
            }
        }

        cancels.Should().BeGreaterThan(0, "the quotes moved, so orders were cancelled");
    }

    private static JsonElement Parse(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    private static decimal Dec(JsonElement e, string key) => decimal.Parse(e.GetProperty(key).GetString()!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^ADAUSDT (Live|Connecting|Stale|Recovering|Crossed) bid .* x .* ask .* x .* spread .* frames/s$")]
    private static partial Regex StatusLine();
}
