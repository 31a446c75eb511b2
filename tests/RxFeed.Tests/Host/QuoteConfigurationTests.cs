using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary>
/// The quote settings come from the same layers as the connection settings: appsettings.json &lt; <c>--config</c> &lt;
/// environment (<c>RxFeed__Quote__AnchorBps</c>) &lt; the flags typed. Exercised on the real host as a process.
/// </summary>
public sealed class QuoteConfigurationTests : TempDirectory
{
    private string Capture()
    {
        // Enough real ticks for many requotes, in a second.
        return Write("capture.txt", string.Join('\n', Frames.Capture.Take(3_000)));
    }

    private string Quotes(IReadOnlyDictionary<string, string?> environment, params string[] flags)
    {
        string quotes = Path.Combine(Dir, $"quotes-{Guid.NewGuid():N}.ndjson");
        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(60), environment, ["replay", Capture(), "--json", "--quotes-out", quotes, .. flags]);
        r.ExitCode.Should().Be(0, r.Stderr);
        return File.ReadAllText(quotes);
    }

    [Fact]
    public void Environment_QuoteSettings_QuoteExactlyAsTheSameFlagsDo()
    {
        string viaFlags = Quotes(new Dictionary<string, string?>(), "--anchor-bps", "20", "--price-precision", "2", "--bid-enabled", "false", "--min-requote", "250ms");
        string viaEnv = Quotes(new Dictionary<string, string?>
        {
            ["RxFeed__Quote__AnchorBps"] = "20",
            ["RxFeed__Quote__PricePrecision"] = "2",
            ["RxFeed__Quote__BidEnabled"] = "false",
            ["RxFeed__Quote__MinRequote"] = "0.25",
        });
        string defaults = Quotes(new Dictionary<string, string?>());

        viaEnv.Should().Be(viaFlags);
        viaEnv.Should().NotBe(defaults, "the settings must change the quotes for this test to mean anything");
        viaEnv.Should().NotContain("\"bid\":");
    }

    [Fact]
    public void Flag_OverridesTheEnvironment()
    {
        string defaults = Quotes(new Dictionary<string, string?>());
        string overridden = Quotes(new Dictionary<string, string?> { ["RxFeed__Quote__AnchorBps"] = "20" }, "--anchor-bps", "0");
        overridden.Should().Be(defaults);
    }

    [Fact]
    public void InvalidQuoteSetting_IsAUsageErrorNamingTheKey()
    {
        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["RxFeed__Quote__PricePrecision"] = "banana" }, "replay", Capture(), "--json");
        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("RxFeed:Quote:PricePrecision: 'banana' is not an integer from 0 to 18");
        r.Stdout.Should().BeEmpty();
    }

    [Fact]
    public void ConfigFile_QuoteAndOrderSettings_ReachTheRunSession()
    {
        // run takes the --config file as a layer for quoting too; an order rate of 0 there is refused at start.
        string config = Write("bad.json", """{ "RxFeed": { "Orders": { "OrderRate": "0" } } }""");
        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(60), "run", "--config", config, "--duration", "1s", "--json");
        r.ExitCode.Should().Be(2, r.Stdout);
        r.Stderr.Should().Contain("RxFeed:Orders:OrderRate: '0' is not an integer from 1 to 1000000");

        string good = Write("good.json", """{ "RxFeed": { "Quote": { "AskEnabled": false, "QuoteSize": "7" } } }""");
        string quotes = Path.Combine(Dir, "run-quotes.ndjson");
        r = Rxfeed.Run(TimeSpan.FromSeconds(60), "run", "--config", good, "--max-ticks", "3", "--json", "--quotes-out", quotes);
        r.ExitCode.Should().Be(0, r.Stderr);
        string[] lines = File.ReadAllLines(quotes).Where(l => !l.Contains("\"cancel\"", StringComparison.Ordinal)).ToArray();
        lines.Should().NotBeEmpty();
        lines.Should().OnlyContain(l => l.Contains("\"bidQty\":\"7\"", StringComparison.Ordinal) && !l.Contains("\"ask\":", StringComparison.Ordinal));
    }

    [Fact]
    public void ShippedExample_QuoteAndOrderSections_AreAccepted()
    {
        string example = Path.Combine(AppContext.BaseDirectory, "appsettings.example.json");
        File.ReadAllText(example).Should().Contain("\"Quote\"").And.Contain("\"OrderRate\"");
        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(60), "run", "--config", example, "--duration", "1s", "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
    }

    [Fact]
    public void Replay_SeedsMessageTimeout_IsTheStaleBoundLikeTheFlag()
    {
        // The seed's name for stale-after is read through the same lookup as run's connection settings.
        string capture = Capture();
        Rxfeed.Result viaFlag = Rxfeed.Run("replay", capture, "--json", "--stale-after", "20ms");
        Rxfeed.Result viaSeed = Rxfeed.Run(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["message_timeout"] = "0.02" }, "replay", capture, "--json");
        Rxfeed.Result defaults = Rxfeed.Run("replay", capture, "--json");

        viaSeed.ExitCode.Should().Be(0, viaSeed.Stderr);
        long stale = viaFlag.Json().GetProperty("stale").GetInt64();
        viaSeed.Json().GetProperty("stale").GetInt64().Should().Be(stale);
        stale.Should().BeGreaterThan(defaults.Json().GetProperty("stale").GetInt64(), "20 ms must mark gaps the 10 s default does not");

        Rxfeed.Result bad = Rxfeed.Run(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["message_timeout"] = "soon" }, "replay", capture, "--json");
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("message_timeout: 'soon' is not a duration");
    }
}
