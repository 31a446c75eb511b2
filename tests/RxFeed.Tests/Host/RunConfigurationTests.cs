using RxFeed.Host.Cli;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary>The layering of <c>run</c>'s settings: appsettings.json &lt; --config &lt; environment &lt; command line, and the seed's names.</summary>
public sealed class RunConfigurationTests : TempDirectory
{
    private static readonly Dictionary<string, string> NoFlags = [];

    [Fact]
    public void Bind_Nothing_GivesTheDefaults()
    {
        RunConnectionSettings s = Bind(null, [], NoFlags);

        s.Endpoint.Should().BeNull("no endpoint means the embedded exchange");
        s.Symbols.Should().Equal("ADAUSDT");
        s.StaleAfter.Should().Be(TimeSpan.FromSeconds(10));
        s.ReconnectMax.Should().Be(TimeSpan.FromSeconds(30));
        s.MaxReconnectAttempts.Should().Be(0);
        s.PingInterval.Should().Be(TimeSpan.FromSeconds(15));
        s.Duration.Should().BeNull();
    }

    [Fact]
    public void Bind_FileEnvAndFlag_CommandLineBeatsEnvironmentBeatsFile()
    {
        string file = Json("""{"RxFeed":{"Symbols":"FILEUSDT","StaleAfter":"3s","ReconnectMax":"40s","MaxFrameBytes":4096}}""");

        RunConnectionSettings fileOnly = Bind(file, [], NoFlags);
        RunConnectionSettings fileAndEnv = Bind(file, [new("RxFeed__Symbols", "ENVUSDT"), new("RxFeed__StaleAfter", "4s")], NoFlags);
        RunConnectionSettings all = Bind(file, [new("RxFeed__Symbols", "ENVUSDT")], new() { ["Symbols"] = "cliusdt,btcusdt" });

        fileOnly.Symbols.Should().Equal("FILEUSDT");
        fileOnly.StaleAfter.Should().Be(TimeSpan.FromSeconds(3));
        fileAndEnv.Symbols.Should().Equal("ENVUSDT");
        fileAndEnv.StaleAfter.Should().Be(TimeSpan.FromSeconds(4));
        fileAndEnv.ReconnectMax.Should().Be(TimeSpan.FromSeconds(40), "the file's value stands where nothing higher sets it");
        all.Symbols.Should().Equal("CLIUSDT", "BTCUSDT");
        all.MaxFrameBytes.Should().Be(4096);
    }

    [Fact]
    public void Bind_AppsettingsBesideBinary_IsTheLowestLayer()
    {
        File.WriteAllText(Path.Combine(Dir, "appsettings.json"), """{"RxFeed":{"Symbols":"BASEUSDT","StaleAfter":"7s"}}""");
        string file = Json("""{"RxFeed":{"Symbols":"FILEUSDT"}}""");

        RunConnectionSettings s = Bind(file, [], NoFlags);

        s.Symbols.Should().Equal("FILEUSDT");
        s.StaleAfter.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Bind_SeedConfigKeys_MapOntoOurSettings()
    {
        string file = Json("""
            {"symbol_src":"ethusdt","ws_endpoint":"wss://stream.binance.com:9443/ws","reconnect_interval":45,
             "max_reconnect_attempts":5,"ping_interval":180,"message_timeout":12}
            """);

        RunConnectionSettings s = Bind(file, [], NoFlags);

        s.Symbols.Should().Equal("ETHUSDT");
        s.Endpoint.Should().Be(new Uri("wss://stream.binance.com:9443/ws"));
        s.ReconnectMax.Should().Be(TimeSpan.FromSeconds(45));
        s.MaxReconnectAttempts.Should().Be(5);
        s.PingInterval.Should().Be(TimeSpan.FromSeconds(180));
        s.StaleAfter.Should().Be(TimeSpan.FromSeconds(12));
    }

    [Fact]
    public void Bind_SeedEnvironmentVariables_OverrideTheFile()
    {
        string file = Json("""{"RxFeed":{"Symbols":"FILEUSDT","Endpoint":"ws://127.0.0.1:1/ws","ReconnectMax":"10s"}}""");

        RunConnectionSettings s = Bind(file, [new("BINANCE_SYMBOL_SRC", "BNBUSDT"), new("BINANCE_WS_ENDPOINT", "ws://127.0.0.1:2/ws"), new("BINANCE_RECONNECT_INTERVAL", "60")], NoFlags);

        s.Symbols.Should().Equal("BNBUSDT");
        s.Endpoint.Should().Be(new Uri("ws://127.0.0.1:2/ws"));
        s.ReconnectMax.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Bind_SymbolsAsJsonArray_AreReadInOrder()
    {
        RunConnectionSettings s = Bind(Json("""{"RxFeed":{"Symbols":["btcusdt","ethusdt","adausdt"]}}"""), [], NoFlags);

        s.Symbols.Should().Equal("BTCUSDT", "ETHUSDT", "ADAUSDT");
    }

    [Fact]
    public void Bind_ShippedExample_ParsesWithItsComments()
    {
        string example = Path.Combine(AppContext.BaseDirectory, "appsettings.example.json");

        RunConnectionSettings s = Bind(example, [], NoFlags);

        s.Symbols.Should().Equal("ADAUSDT");
        s.Endpoint.Should().BeNull("the example leaves the endpoint out: the embedded exchange");
        s.MaxFrameBytes.Should().Be(1 << 20);
        (s.MaxOutgoingPerSecond, s.AckTimeout, s.ReconcileInterval).Should().Be((4, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Bind_SubscriptionKeys_ReadIntoTheConnectionOptions()
    {
        RunConnectionSettings s = Bind(Json("""{"RxFeed":{"MaxOutgoingPerSecond":3,"AckTimeout":"2s","ReconcileInterval":0}}"""), [], NoFlags);

        RxFeed.Connection.FeedConnectionOptions o = s.ToConnectionOptions(new Uri("ws://127.0.0.1:1/ws"));
        (o.OutboundMessagesPerSecond, o.AckTimeout, o.ReconcileInterval).Should().Be((3, TimeSpan.FromSeconds(2), TimeSpan.Zero));
    }

    [Theory]
    [InlineData("""{"RxFeed":{"StaleAfter":"soon"}}""", "RxFeed:StaleAfter: 'soon' is not a duration")]
    [InlineData("""{"RxFeed":{"StaleAfter":"0s"}}""", "RxFeed:StaleAfter: '0s' must be positive")]
    [InlineData("""{"message_timeout":"x"}""", "message_timeout: 'x' is not a duration")]
    [InlineData("""{"ws_endpoint":"http://example.com"}""", "ws_endpoint: 'http://example.com' is not a ws:// or wss:// URL")]
    [InlineData("""{"max_reconnect_attempts":-1}""", "max_reconnect_attempts: '-1' is not a whole number")]
    [InlineData("""{"RxFeed":{"ReconnectInitial":"5s","ReconnectMax":"2s"}}""", "RxFeed:ReconnectMax: 2s must not be below RxFeed:ReconnectInitial (5s)")]
    [InlineData("""{"RxFeed":{"Symbols":" , "}}""", "RxFeed:Symbols: at least one symbol is required")]
    [InlineData("""{"ping_interval":"500ms"}""", "ping_interval: '500ms' must be 0 (off) or at least 1s")]
    [InlineData("""{"RxFeed":{"Endpoints":["ws://127.0.0.1:1/ws","http://x"]}}""", "RxFeed:Endpoints: 'http://x' is not a ws:// or wss:// URL")]
    [InlineData("""{"RxFeed":{"Endpoints":"ws://127.0.0.1:1/ws,ws://127.0.0.1:1/ws"}}""", "RxFeed:Endpoints: 'ws://127.0.0.1:1/ws' is listed twice")]
    [InlineData("""{"RxFeed":{"Endpoints":"binance","EndpointMode":"fastest"}}""", "RxFeed:EndpointMode: 'fastest' is not single, failover or hedged")]
    [InlineData("""{"RxFeed":{"Endpoint":"ws://127.0.0.1:1/ws","EndpointMode":"hedged"}}""", "RxFeed:EndpointMode: 'hedged' needs at least two endpoints")]
    [InlineData("""{"RxFeed":{"MaxOutgoingPerSecond":6}}""", "RxFeed:MaxOutgoingPerSecond: '6' must be a whole number from 2 to 5")]
    [InlineData("""{"RxFeed":{"AckTimeout":"0s"}}""", "RxFeed:AckTimeout: '0s' must be positive")]
    public void Bind_InvalidValue_NamesTheKeyAndTheReason(string json, string message)
    {
        string file = Json(json);

        Action bind = () => Bind(file, [], NoFlags);

        bind.Should().Throw<ConfigurationException>().Which.Message.Should().StartWith(message);
    }

    [Fact]
    public void Bind_InvalidEnvironmentValue_NamesTheVariable()
    {
        Action bind = () => Bind(null, [new("BINANCE_RECONNECT_INTERVAL", "abc")], NoFlags);

        bind.Should().Throw<ConfigurationException>().WithMessage("BINANCE_RECONNECT_INTERVAL: 'abc' is not a duration*");
    }

    [Fact]
    public void Bind_InvalidCombinationFromTheCommandLine_NamesTheFlag()
    {
        Action bind = () => Bind(null, [], new() { ["ReconnectMax"] = "500ms" });

        bind.Should().Throw<ConfigurationException>().WithMessage("--reconnect-max: 500ms must not be below the first reconnect delay (1s)");
    }

    [Fact]
    public void Bind_EndpointsArray_HedgedByDefaultAndTheFirstIsTheEndpoint()
    {
        string file = Json("""{"RxFeed":{"Endpoint":"ws://127.0.0.1:9/ws","Endpoints":["ws://127.0.0.1:1/ws","ws://127.0.0.1:2/ws"]}}""");

        RunConnectionSettings s = Bind(file, [], NoFlags);

        s.Endpoints.Select(u => u.ToString()).Should().Equal("ws://127.0.0.1:1/ws", "ws://127.0.0.1:2/ws");
        s.Endpoint.Should().Be(new Uri("ws://127.0.0.1:1/ws"), "RxFeed:Endpoints wins over RxFeed:Endpoint");
        s.EndpointMode.Should().Be(RxFeed.Connection.EndpointMode.Hedged);
    }

    [Fact]
    public void Bind_BinancePresetAndFailoverFromTheCommandLine_ThreeHostsOneAtATime()
    {
        RunConnectionSettings s = Bind(null, [], new() { ["Endpoints"] = "binance", ["EndpointMode"] = "failover", ["FailbackAfter"] = "2m" });

        s.Endpoints.Select(u => u.Host).Should().Equal("stream.binance.com", "stream.binance.com", "data-stream.binance.vision");
        s.Endpoints.Select(u => u.Port).Should().Equal(9443, 443, 443);
        s.EndpointMode.Should().Be(RxFeed.Connection.EndpointMode.Failover);
        s.FailbackAfter.Should().Be(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Bind_OneEndpoint_SingleModeAndAOneItemList()
    {
        RunConnectionSettings s = Bind(null, [new("RxFeed__Endpoint", "ws://127.0.0.1:1/ws")], NoFlags);

        s.Endpoints.Should().Equal(new Uri("ws://127.0.0.1:1/ws"));
        s.EndpointMode.Should().Be(RxFeed.Connection.EndpointMode.Single);
    }

    [Fact]
    public void Build_MalformedJson_IsAConfigurationErrorNamingTheFile()
    {
        string file = Json("""{"RxFeed": {"Symbols": }""");

        Action build = () => RunConfiguration.Build(file, [], NoFlags, Dir);

        build.Should().Throw<ConfigurationException>().Which.Message.Should().StartWith(file + ":");
    }

    private RunConnectionSettings Bind(string? file, KeyValuePair<string, string?>[] env, Dictionary<string, string> flags) =>
        RunConfiguration.Bind(RunConfiguration.Build(file, env, flags, Dir));

    private string Json(string text)
    {
        string path = Path.Combine(Dir, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }
}
