using System.Diagnostics;
using System.Text.Json;
using RxFeed.Exchange;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed run</c> as a process, over real loopback sockets: the embedded exchange, an explicit endpoint, outputs, signals, usage errors.</summary>
public sealed class RunCommandTests : TempDirectory
{
    [Fact]
    public void Run_NoEndpoint_StreamsFromTheEmbeddedExchangeAndWritesEveryOutput()
    {
        string ticks = Path.Combine(Dir, "ticks.ndjson"), record = Path.Combine(Dir, "rec.txt"), health = Path.Combine(Dir, "health.ndjson");
        Rxfeed.Result r = Rxfeed.Run("run", "--max-ticks", "5", "--json", "--ticks-out", ticks, "--record", record, "--health-out", health);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stderr.Should().Contain("embedded local exchange");
        JsonElement summary = r.Json();
        long bookTickers = summary.GetProperty("bookTickers").GetInt64();
        bookTickers.Should().BeGreaterThan(0);
        summary.GetProperty("connections").GetInt64().Should().Be(1);
        summary.GetProperty("control").GetInt64().Should().BeInRange(1, 2, "the SUBSCRIBE ack, and the LIST_SUBSCRIPTIONS answer unless the fifth tick came first");
        summary.GetProperty("symbols").GetProperty("ADAUSDT").GetProperty("bookTickers").GetInt64().Should().Be(bookTickers);
        summary.TryGetProperty("stale", out _).Should().BeTrue();
        summary.TryGetProperty("orders", out _).Should().BeTrue();
        File.ReadAllLines(ticks).Should().HaveCount((int)bookTickers);
        File.ReadAllLines(record).Should().HaveCount((int)summary.GetProperty("lines").GetInt64())
            .And.OnlyContain(l => char.IsAsciiDigit(l[0]) && l.Contains(" {", StringComparison.Ordinal), "the replay format: <receive ns> <frame>");
        File.ReadAllLines(health).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("state").GetString())
            .Should().StartWith(["Connecting", "Live"]);
    }

    [Fact]
    public async Task Run_Endpoint_ConnectsToIt()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "BTCUSDT" }, Rate = 20 } });
        Rxfeed.Result r = Rxfeed.Run("run", "--endpoint", exchange.BaseUrl + "/ws", "--symbols", "btcusdt", "--max-ticks", "3", "--json");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stderr.Should().NotContain("embedded");
        r.Json().GetProperty("symbols").GetProperty("BTCUSDT").GetProperty("bookTickers").GetInt64().Should().BeGreaterThan(0);
        exchange.Counters.ConnectionsAccepted.Should().Be(1);
    }

    [Fact]
    public async Task Run_MaxTicks_StopsOnceThatManyAreDeliveredAndReportsTheFeedWindows()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "BTCUSDT" }, Rate = 200 } });
        string ticks = Path.Combine(Dir, "ticks.ndjson");
        var clock = Stopwatch.StartNew();
        Rxfeed.Result r = Rxfeed.Run("run", "--endpoint", exchange.BaseUrl + "/ws", "--symbols", "btcusdt", "--max-ticks", "50", "--duration", "60s", "--json", "--ticks-out", ticks);

        r.ExitCode.Should().Be(0, r.Stderr);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(50), "the run stops at 50 ticks, not at --duration");
        JsonElement summary = r.Json();
        long bookTickers = summary.GetProperty("bookTickers").GetInt64();
        // The stop is queued on the pipeline thread behind whatever frames are already in: 50 or a few more, each in the file.
        bookTickers.Should().BeGreaterThanOrEqualTo(50);
        File.ReadAllLines(ticks).Should().HaveCount((int)bookTickers);

        // Both windows start at the first receive stamp; frames still arriving while the stop is queued are stamped but
        // not handled, so neither window bounds the other.
        double receive = summary.GetProperty("receiveSeconds").GetDouble(), pipeline = summary.GetProperty("pipelineSeconds").GetDouble();
        receive.Should().BeGreaterThan(0).And.BeLessThan(50);
        pipeline.Should().BeGreaterThan(0).And.BeLessThan(50);
    }

    [Fact]
    public void Run_MaxReconnectAttemptsSpent_FailsWithExitOne()
    {
        // A loopback port nobody listens on: every attempt is refused at once.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(30), "run", "--endpoint", $"ws://127.0.0.1:{port}/ws", "--max-reconnect-attempts", "2", "--reconnect-initial", "100ms", "--reconnect-max", "200ms", "--json");

        r.ExitCode.Should().Be(1, r.Stderr);
        r.Stderr.Should().Contain("rxfeed run:");
        r.Stdout.Should().BeEmpty("a failed run prints no summary");
    }

    [Fact]
    public async Task Run_SeedKeysInConfigFile_ConnectToTheirEndpointAndSymbols()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "ETHUSDT" }, Rate = 20 } });
        string config = Path.Combine(Dir, "seed.json");
        File.WriteAllText(config, $$"""{"symbol_src":"ethusdt","ws_endpoint":"{{exchange.BaseUrl}}/ws","message_timeout":10}""");

        Rxfeed.Result r = Rxfeed.Run("run", "--config", config, "--max-ticks", "3", "--json");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stderr.Should().NotContain("embedded");
        r.Json().GetProperty("symbols").GetProperty("ETHUSDT").GetProperty("bookTickers").GetInt64().Should().BeGreaterThan(0);
        exchange.Counters.ConnectionsAccepted.Should().Be(1);
    }

    [Fact]
    public async Task Run_SeedEnvironmentVariables_PickEndpointAndSymbolsAndAFlagOverridesThem()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = ["SOLUSDT", "XRPUSDT"], Rate = 20 } });
        var env = new Dictionary<string, string?> { ["BINANCE_WS_ENDPOINT"] = exchange.BaseUrl + "/ws", ["BINANCE_SYMBOL_SRC"] = "solusdt" };

        Rxfeed.Result fromEnv = Rxfeed.Run(TimeSpan.FromSeconds(60), env, "run", "--max-ticks", "3", "--json");
        Rxfeed.Result fromFlag = Rxfeed.Run(TimeSpan.FromSeconds(60), env, "run", "--max-ticks", "3", "--json", "--symbols", "xrpusdt");

        fromEnv.ExitCode.Should().Be(0, fromEnv.Stderr);
        fromEnv.Stderr.Should().NotContain("embedded");
        fromEnv.Json().GetProperty("symbols").EnumerateObject().Select(p => p.Name).Should().Equal("SOLUSDT");
        fromFlag.ExitCode.Should().Be(0, fromFlag.Stderr);
        fromFlag.Json().GetProperty("symbols").EnumerateObject().Select(p => p.Name).Should().Equal("XRPUSDT");
        exchange.Counters.ConnectionsAccepted.Should().Be(2);
    }

    [Fact]
    public void Run_BadSeedEnvironmentVariable_IsUsageErrorNamingIt()
    {
        var env = new Dictionary<string, string?> { ["BINANCE_RECONNECT_INTERVAL"] = "often" };

        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(60), env, "run", "--duration", "1s");

        r.ExitCode.Should().Be(2);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("BINANCE_RECONNECT_INTERVAL: 'often'");
    }

    [Fact]
    public async Task Run_Sigterm_StopsGracefullyWithSummaryAndExitZero()
    {
        string ticks = Path.Combine(Dir, "ticks.ndjson");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"), "run", "--json", "--ticks-out", ticks })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await Rxfeed.WaitForLinesAsync(ticks, 3, process); // started, connected, delivering
        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, await stderr);
        using JsonDocument summary = JsonDocument.Parse(await stdout);
        long delivered = summary.RootElement.GetProperty("bookTickers").GetInt64();
        File.ReadAllLines(ticks).Should().HaveCount((int)delivered, "every delivered tick is flushed to the file on a graceful stop");
    }

    [Theory]
    [InlineData("--endpoint", "http://example.com/ws")]
    [InlineData("--duration", "3x")]
    [InlineData("--stale-after", "0s")]
    [InlineData("--reconnect-initial", "5s", "--reconnect-max", "1s")]
    [InlineData("--symbols", ",")]
    [InlineData("--bogus")]
    [InlineData("--http", "nowhere")]
    public void Run_UsageError_ExitsTwoWithOneLine(params string[] args)
    {
        Rxfeed.Result r = Rxfeed.Run(["run", .. args]);

        r.ExitCode.Should().Be(2);
        r.Stderr.Trim().Split('\n').Should().ContainSingle();
        r.Stdout.Should().BeEmpty();
    }
}
