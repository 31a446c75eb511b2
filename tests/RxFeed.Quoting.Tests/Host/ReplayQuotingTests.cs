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

    [Theory]
    [InlineData("--price-precision", "-1")]
    [InlineData("--price-precision", "19")]
    [InlineData("--order-rate", "0")]
    [InlineData("--min-requote", "soon")]
    [InlineData("--venue-spread-bps", "10000")]
    [InlineData("--quote-size", "abc")]
    public void Replay_BadQuoteFlag_UsageErrorOneLine(string flag, string value)
    {
        (int code, _, string stderr) = Rxfeed("replay", Capture, flag, value);

        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle();
    }

    private static (int Code, string Stdout, string Stderr) Rxfeed(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
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
