using System.Diagnostics;
using System.Text.Json;

namespace RxFeed.Quoting.Tests.Host;

/// <summary>`rxfeed replay` with the quote flags, run as a process on the shared capture.</summary>
public sealed class ReplayQuotingTests : IDisposable
{
    private static readonly string Capture = Path.Combine(AppContext.BaseDirectory, "data", "binance-spot-ethusdt-20240808.txt.gz");
    private readonly string _dir = Directory.CreateTempSubdirectory("rxfeed-quoting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replay_QuoteFlagsAndOutputs_LinesMatchTheSummary()
    {
        string quotes = Path.Combine(_dir, "q.ndjson"), orders = Path.Combine(_dir, "o.ndjson"), health = Path.Combine(_dir, "h.ndjson");
        (int code, string stdout, _) = Rxfeed(
            "replay", Capture, "--json", "--quotes-out", quotes, "--orders-out", orders, "--health-out", health,
            "--stale-after", "500ms", "--price-precision", "2", "--min-requote", "250ms", "--order-rate", "5");

        code.Should().Be(0);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        JsonElement root = summary.RootElement;
        string[] quoteLines = File.ReadAllLines(quotes);
        string[] orderLines = File.ReadAllLines(orders);
        string[] healthLines = File.ReadAllLines(health);
        root.GetProperty("quotes").GetInt64().Should().Be(quoteLines.Count(l => !l.Contains("\"cancel\":true", StringComparison.Ordinal)));
        root.GetProperty("orders").GetProperty("placed").GetInt64().Should().Be(orderLines.Count(l => l.Contains("\"action\":\"place\"", StringComparison.Ordinal)));
        root.GetProperty("orders").GetProperty("cancelled").GetInt64().Should().Be(orderLines.Count(l => l.Contains("\"action\":\"cancel\"", StringComparison.Ordinal)));
        root.GetProperty("stale").GetInt64().Should().Be(healthLines.Count(l => l.Contains("\"state\":\"Stale\"", StringComparison.Ordinal))).And.BeGreaterThan(0);
        root.GetProperty("bookTickers").GetInt64().Should().Be(24077);
        quoteLines[0].Should().Be("{\"ts\":1723161254024619568,\"s\":\"ETHUSDT\",\"u\":35346513501,\"bid\":\"2681.12\",\"ask\":\"2686.49\",\"bidQty\":\"100\",\"askQty\":\"100\"}");
        orderLines[0].Should().Be("{\"ts\":1723161254024619568,\"s\":\"ETHUSDT\",\"action\":\"place\",\"side\":\"buy\",\"id\":\"rx-1\",\"price\":\"2681.12\",\"qty\":\"100\"}");
        healthLines[0].Should().StartWith("{\"ts\":1723161254024619568,\"s\":\"ETHUSDT\",\"state\":\"Live\",\"reason\":");
        root.GetProperty("orders").GetProperty("placed").GetInt64().Should().Be(root.GetProperty("orders").GetProperty("cancelled").GetInt64(), "the graceful stop cancels what is left");
    }

    [Fact]
    public void Replay_AskOnly_BidKeysAbsent()
    {
        string quotes = Path.Combine(_dir, "q.ndjson");
        (int code, _, _) = Rxfeed("replay", Capture, "--bid-enabled", "false", "--quotes-out", quotes, "--symbol-dst", "ETH-USD");

        code.Should().Be(0);
        string first = File.ReadLines(quotes).First();
        first.Should().Be("{\"ts\":1723161254024619568,\"s\":\"ETH-USD\",\"u\":35346513501,\"ask\":\"2686.493810\",\"askQty\":\"100\",\"src\":\"ETHUSDT\"}");
    }

    [Fact]
    public void Replay_SameInstantEvents_StaleBeforeTickAndTrailingAtExactNanosecond()
    {
        string recording = Path.Combine(_dir, "r.txt");
        File.WriteAllLines(recording, [
            "1000000001 {\"u\":1,\"s\":\"X\",\"b\":\"100\",\"B\":\"1\",\"a\":\"101\",\"A\":\"1\"}",
            "1100000000 {\"u\":2,\"s\":\"X\",\"b\":\"100.01\",\"B\":\"1\",\"a\":\"101\",\"A\":\"1\"}",
            "11100000000 {\"u\":3,\"s\":\"X\",\"b\":\"100.02\",\"B\":\"1\",\"a\":\"101\",\"A\":\"1\"}",
            "11200000000 {\"u\":4,\"s\":\"X\",\"b\":\"101\",\"B\":\"1\",\"a\":\"101\",\"A\":\"1\"}",
        ]);
        string quotes = Path.Combine(_dir, "q.ndjson"), health = Path.Combine(_dir, "h.ndjson");
        (int code, _, _) = Rxfeed("replay", recording, "--quotes-out", quotes, "--health-out", health, "--price-precision", "2", "--min-requote", "250ms", "--stale-after", "10s");

        code.Should().Be(0);
        File.ReadAllLines(quotes).Should().Equal(
            "{\"ts\":1000000001,\"s\":\"X\",\"u\":1,\"bid\":\"99.90\",\"ask\":\"101.10\",\"bidQty\":\"100\",\"askQty\":\"100\"}",
            "{\"ts\":1250000001,\"s\":\"X\",\"u\":2,\"bid\":\"99.91\",\"ask\":\"101.10\",\"bidQty\":\"100\",\"askQty\":\"100\"}",
            "{\"ts\":11100000000,\"s\":\"X\",\"cancel\":true,\"reason\":\"Stale\"}",
            "{\"ts\":11100000000,\"s\":\"X\",\"u\":3,\"bid\":\"99.92\",\"ask\":\"101.10\",\"bidQty\":\"100\",\"askQty\":\"100\"}",
            "{\"ts\":11200000000,\"s\":\"X\",\"cancel\":true,\"reason\":\"Crossed\"}");
        File.ReadAllLines(health).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("state").GetString()).Should().Equal("Live", "Stale", "Live", "Crossed");
    }

    [Theory]
    [InlineData("--price-precision", "-1")]
    [InlineData("--price-precision", "19")]
    [InlineData("--order-rate", "0")]
    [InlineData("--min-requote", "soon")]
    [InlineData("--venue-spread-bps", "10000")]
    [InlineData("--quote-size", "abc")]
    [InlineData("--order-latency", "soon")]
    [InlineData("--order-reject-rate", "1.5")]
    [InlineData("--order-reject-rate", "-0.1")]
    public void Replay_BadQuoteFlag_UsageErrorOneLine(string flag, string value)
    {
        (int code, _, string stderr) = Rxfeed("replay", Capture, flag, value);

        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public void Replay_OrderLatencyAndRejects_EveryPlaceClosedOnceAndNoTimeGoesBack()
    {
        string quotes = Path.Combine(_dir, "q.ndjson"), orders = Path.Combine(_dir, "o.ndjson"), health = Path.Combine(_dir, "h.ndjson");
        (int code, string stdout, string stderr) = Rxfeed(
            "replay", Capture, "--json", "--quotes-out", quotes, "--orders-out", orders, "--health-out", health,
            "--stale-after", "500ms", "--price-precision", "2", "--order-rate", "5", "--order-latency", "50ms", "--order-reject-rate", "0.2");

        code.Should().Be(0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        JsonElement counts = summary.RootElement.GetProperty("orders");
        string[] orderLines = File.ReadAllLines(orders);
        long placed = counts.GetProperty("placed").GetInt64(), cancelled = counts.GetProperty("cancelled").GetInt64(), rejected = counts.GetProperty("rejected").GetInt64();
        rejected.Should().BePositive().And.Be(orderLines.Count(l => l.Contains("\"action\":\"rejected\"", StringComparison.Ordinal)));
        placed.Should().Be(orderLines.Count(l => l.Contains("\"action\":\"place\"", StringComparison.Ordinal)));
        placed.Should().Be(cancelled + rejected, "the graceful stop cancels what is left, and every place is closed by one cancel or one refusal");
        foreach (string file in new[] { quotes, orders, health })
        {
            File.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetInt64()).Should().BeInAscendingOrder(file);
        }
    }

    [Fact]
    public void Replay_RejectRateFromEnvironmentOutOfRange_UsageErrorNamesTheKey()
    {
        (int code, _, string stderr) = Rxfeed(("RxFeed__Orders__RejectRate", "2"), "replay", Capture);

        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("RxFeed:Orders:RejectRate: '2' is not a number from 0 to 1");
    }

    [Fact]
    public void Replay_RejectRateFlagOutOfRange_UsageErrorNamesTheFlag()
    {
        (int code, _, string stderr) = Rxfeed("replay", Capture, "--order-reject-rate", "1.5");

        code.Should().Be(2);
        stderr.Should().Contain("--order-reject-rate: '1.5' is not a number from 0 to 1");
    }

    [Fact]
    public void Replay_QuotesOutInMissingDirectory_UsageErrorOneLine()
    {
        (int code, _, string stderr) = Rxfeed("replay", Capture, "--quotes-out", Path.Combine(_dir, "no", "such", "q.ndjson"));

        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("--quotes-out");
    }

    private static (int Code, string Stdout, string Stderr) Rxfeed(params string[] args) => Rxfeed(null, args);

    private static (int Code, string Stdout, string Stderr) Rxfeed((string Name, string Value)? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (environment is { } variable)
        {
            start.Environment[variable.Name] = variable.Value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("rxfeed did not finish");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
