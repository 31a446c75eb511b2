using System.Text.Json;
using RxFeed.Exchange;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed record</c> over a real loopback socket, then <c>rxfeed replay</c> of what it wrote.</summary>
public sealed class RecordCommandTests : TempDirectory
{
    [Theory]
    [InlineData("rec.txt")]
    [InlineData("rec.txt.gz")]
    public async Task Record_ThenReplay_ReproducesTheRecordedTicks(string name)
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = ["BTCUSDT"], Rate = 50 } });
        string recording = Path.Combine(Dir, name), ticks = Path.Combine(Dir, "replayed.ndjson");

        Rxfeed.Result recorded = Rxfeed.Run("record", recording, "--endpoint", exchange.BaseUrl + "/ws", "--symbols", "btcusdt", "--max-frames", "13", "--json");
        recorded.ExitCode.Should().Be(0, recorded.Stderr);
        long lines = recorded.Json().GetProperty("lines").GetInt64();
        lines.Should().BeGreaterThan(10);
        Rxfeed.Result replayed = Rxfeed.Run("replay", recording, "--json", "--ticks-out", ticks);

        replayed.ExitCode.Should().Be(0, replayed.Stderr);
        string[] raw = name.EndsWith(".gz", StringComparison.Ordinal) ? Frames.ReadGzipLines(recording) : File.ReadAllLines(recording);
        List<string> expected = [.. raw.Select(l => (Ns: l[..l.IndexOf(' ', StringComparison.Ordinal)], Frame: JsonDocument.Parse(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement))
            .Where(r => r.Frame.TryGetProperty("u", out _))
            .Select(r => Key(r.Ns, r.Frame))];

        // The rest are the control replies: the SUBSCRIBE ack, and the LIST_SUBSCRIPTIONS answer unless the recording
        // stopped before it came back (it races the data frames).
        int control = raw.Length - expected.Count;
        control.Should().BeInRange(1, 2);
        replayed.Json().ShouldHaveCounts(lines, expected.Count, 0, 0, 0, 0, 0, control);
        File.ReadAllLines(ticks).Select(l => JsonDocument.Parse(l).RootElement).Select(t => Key(t.GetProperty("ts").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), t))
            .Should().Equal(expected, "replay delivers each recorded book ticker, byte for byte, at its recorded receive time");
    }

    [Fact]
    public void Run_RecordThenReplay_DeliversTheSameTicks()
    {
        string recording = Path.Combine(Dir, "run.txt"), live = Path.Combine(Dir, "live.ndjson"), again = Path.Combine(Dir, "again.ndjson");

        Rxfeed.Result run = Rxfeed.Run("run", "--max-ticks", "5", "--json", "--record", recording, "--ticks-out", live);
        run.ExitCode.Should().Be(0, run.Stderr);
        Rxfeed.Result replay = Rxfeed.Run("replay", recording, "--json", "--ticks-out", again);

        replay.ExitCode.Should().Be(0, replay.Stderr);
        replay.Json().GetProperty("bookTickers").GetInt64().Should().Be(run.Json().GetProperty("bookTickers").GetInt64());
        WithoutTs(again).Should().Equal(WithoutTs(live)).And.NotBeEmpty();
    }

    [Fact]
    public async Task Record_Sigterm_FlushesEveryFrameAndExitsZero()
    {
        string recording = Path.Combine(Dir, "stopped.txt");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"), "record", recording, "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await Rxfeed.WaitForLinesAsync(recording, 3, process); // started, connected, recording
        using (System.Diagnostics.Process kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, await stderr);
        using JsonDocument summary = JsonDocument.Parse(await stdout);
        long lines = summary.RootElement.GetProperty("lines").GetInt64();
        lines.Should().BeGreaterThan(2);
        File.ReadAllLines(recording).Should().HaveCount((int)lines, "every recorded frame is flushed on a graceful stop");
    }

    [Theory]
    [InlineData("--duration", "soon")]
    [InlineData("--symbols", ",")]
    [InlineData("--endpoint", "http://example.com")]
    public void Record_BadFlag_IsUsageError(string flag, string value)
    {
        Rxfeed.Result r = Rxfeed.Run("record", Path.Combine(Dir, "x.txt"), flag, value);

        r.ExitCode.Should().Be(2);
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain(flag);
    }

    [Fact]
    public void Record_MissingDirectory_IsUsageError()
    {
        Rxfeed.Result r = Rxfeed.Run("record", Path.Combine(Dir, "no", "x.txt"), "--duration", "1s");

        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("does not exist");
    }

    private static string Key(string ns, JsonElement e) =>
        $"{ns} {e.GetProperty("s").GetString()} {e.GetProperty("u").GetInt64()} {e.GetProperty("b").GetString()} {e.GetProperty("B").GetString()} {e.GetProperty("a").GetString()} {e.GetProperty("A").GetString()}";

    private static string[] WithoutTs(string path) =>
        [.. File.ReadAllLines(path).Select(l => Key("-", JsonDocument.Parse(l).RootElement))];
}
