using System.Diagnostics;
using System.Text.Json;

namespace RxFeed.Tests.Support;

/// <summary>Runs the real <c>rxfeed</c> host as a process (its stdout is the contract), with a bounded wait.</summary>
internal static class Rxfeed
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json()
        {
            string[] lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().HaveCount(1, "--json prints exactly one JSON object on stdout: " + Stdout);
            using JsonDocument doc = JsonDocument.Parse(lines[0]);
            return doc.RootElement.Clone();
        }
    }

    public static Result Run(params string[] args) => Run(TimeSpan.FromSeconds(60), args);

    /// <summary>
    /// Waits until a file the host is writing holds at least <paramref name="count"/> lines: a test signals the process only
    /// once it is running and delivering, however slow the machine (a fixed delay would race the start-up).
    /// </summary>
    public static async Task WaitForLinesAsync(string path, int count, Process process)
    {
        using var hung = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (CountLines(path) < count)
        {
            process.HasExited.Should().BeFalse("the host must still be running while its file has {0} of {1} lines", CountLines(path), count);
            await Task.Delay(50, hung.Token);
        }
    }

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs the host with extra environment variables (null removes one).</summary>
    public static Result Run(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (KeyValuePair<string, string?> variable in environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"rxfeed {string.Join(' ', args)} did not finish within {timeout}; stderr: {stderr.Result}");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Asserts the replay keys of a summary; sums compare as exact decimals (any scale).</summary>
    public static void ShouldHaveCounts(this JsonElement summary, long lines, long bookTickers, long inverted, long invalid, long malformed, long outOfOrder, long other, long control)
    {
        var actual = new[] { "lines", "bookTickers", "inverted", "invalid", "malformed", "outOfOrder", "other", "control" }.Select(k => (k, summary.GetProperty(k).GetInt64()));
        actual.Should().Equal(("lines", lines), ("bookTickers", bookTickers), ("inverted", inverted), ("invalid", invalid), ("malformed", malformed), ("outOfOrder", outOfOrder), ("other", other), ("control", control));
    }

    /// <summary>The depth, trade and snapshot lines that no longer count as <c>other</c>; none of them invalid.</summary>
    public static void ShouldHaveMarketCounts(this JsonElement summary, long depth, long trades, long snapshots)
    {
        var actual = new[] { "depth", "trades", "snapshots", "invalidDepth", "invalidTrades", "invalidSnapshots" }.Select(k => (k, summary.GetProperty(k).GetInt64()));
        actual.Should().Equal(("depth", depth), ("trades", trades), ("snapshots", snapshots), ("invalidDepth", 0L), ("invalidTrades", 0L), ("invalidSnapshots", 0L));
    }

    public static void ShouldHaveSymbol(this JsonElement summary, string symbol, long bookTickers, long inverted, long outOfOrder, long lastUpdateId, decimal bidSum, decimal askSum)
    {
        JsonElement s = summary.GetProperty("symbols").GetProperty(symbol);
        s.GetProperty("bookTickers").GetInt64().Should().Be(bookTickers);
        s.GetProperty("inverted").GetInt64().Should().Be(inverted);
        s.GetProperty("outOfOrder").GetInt64().Should().Be(outOfOrder);
        s.GetProperty("lastUpdateId").GetInt64().Should().Be(lastUpdateId);
        s.GetProperty("bidSum").ValueKind.Should().Be(JsonValueKind.String, "decimals are JSON strings");
        decimal.Parse(s.GetProperty("bidSum").GetString()!, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture).Should().Be(bidSum);
        decimal.Parse(s.GetProperty("askSum").GetString()!, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture).Should().Be(askSum);
    }

    private static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        int lines = 0;
        while (reader.ReadLine() is not null)
        {
            lines++;
        }

        return lines;
    }
}
