using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxFeed.Exchange;
using RxFeed.Health;
using RxFeed.Hosting;

namespace RxFeed.Integration.Tests;

/// <summary>Embedding RxFeed: <see cref="RxFeedClient.Create"/> and <c>services.AddRxFeed(configuration)</c> against a real LocalExchange on loopback.</summary>
public sealed class EmbeddingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Create_LocalExchange_DeliversTicksAndLiveHealthOverOneConnection()
    {
        await using LocalExchange exchange = await Start("BTCUSDT");
        RxFeedClient client = RxFeedClient.Create(new RxFeedOptions { Endpoint = new Uri(exchange.BaseUrl + "/ws"), Symbols = ["btcusdt"], StaleAfter = TimeSpan.FromSeconds(2) });

        await ShouldStream(client, "BTCUSDT");
    }

    [Fact]
    public async Task AddRxFeed_Configuration_ResolvesAClientThatStreams()
    {
        await using LocalExchange exchange = await Start("ETHUSDT");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxFeed:Endpoint"] = exchange.BaseUrl + "/ws",
            ["RxFeed:Symbols:0"] = "ethusdt",
            ["RxFeed:StaleAfter"] = "2s",
            ["RxFeed:ReconnectMax"] = "5",
        }).Build();
        await using ServiceProvider services = new ServiceCollection().AddRxFeed(configuration).BuildServiceProvider();

        RxFeedClient client = services.GetRequiredService<RxFeedClient>();

        client.Options.StaleAfter.Should().Be(TimeSpan.FromSeconds(2));
        client.Options.ReconnectMax.Should().Be(TimeSpan.FromSeconds(5), "a bare number is seconds");
        services.GetRequiredService<RxFeedClient>().Should().BeSameAs(client);
        await ShouldStream(client, "ETHUSDT");
    }

    [Theory]
    [InlineData("RxFeed:StaleAfter", "soon", "RxFeed:StaleAfter: 'soon' is not a duration")]
    [InlineData("RxFeed:Endpoint", "http://example.com/ws", "endpoint must be ws:// or wss://")]
    [InlineData("RxFeed:MaxReconnectAttempts", "-2", "RxFeed:MaxReconnectAttempts: '-2' is not a whole number")]
    public void AddRxFeed_InvalidValue_FailsOnResolveNamingTheProblem(string key, string value, string message)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using ServiceProvider services = new ServiceCollection().AddRxFeed(configuration).BuildServiceProvider();

        Action resolve = () => services.GetRequiredService<RxFeedClient>();

        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void AddRxFeed_ConfigureAndPostConfigure_RunAfterTheBindingAndAreValidated()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxFeed:Symbols"] = "adausdt",
            ["RxFeed:StaleAfter"] = "2s",
        }).Build();
        var services = new ServiceCollection().AddRxFeed(configuration);
        services.Configure<RxFeedOptions>(o => o.Symbols = [.. o.Symbols, "ETHUSDT"]);
        services.PostConfigure<RxFeedOptions>(o => o.StaleAfter *= 3);
        using ServiceProvider provider = services.BuildServiceProvider();

        RxFeedOptions options = provider.GetRequiredService<IOptions<RxFeedOptions>>().Value;

        options.Symbols.Should().Equal("ADAUSDT", "ETHUSDT");
        options.StaleAfter.Should().Be(TimeSpan.FromSeconds(6));

        var broken = new ServiceCollection().AddRxFeed(configuration);
        broken.PostConfigure<RxFeedOptions>(o => o.Symbols = []);
        using ServiceProvider brokenProvider = broken.BuildServiceProvider();
        Action resolve = () => brokenProvider.GetRequiredService<RxFeedClient>();
        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("symbol");
    }

    [Fact]
    public void Create_InvalidOptions_Throws()
    {
        Action create = () => RxFeedClient.Create(new RxFeedOptions { Symbols = [] });

        create.Should().Throw<ArgumentException>().WithMessage("*symbol*");
    }

    [Fact]
    public async Task ReadmeExample_LocalExchange_PrintsTicks()
    {
        await using LocalExchange exchange = await Start("ADAUSDT");
        var lines = new List<string>();

        await ReadmeExample.RunAsync(new Uri(exchange.BaseUrl + "/ws"), lines.Add).WaitAsync(Bound);

        lines.Where(l => l.Contains(" u=", StringComparison.Ordinal)).Should().HaveCount(5);
        lines.Should().OnlyContain(l => l.StartsWith("ADAUSDT ", StringComparison.Ordinal));
    }

    private static Task<LocalExchange> Start(string symbol) =>
        LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = [symbol], Rate = 50 } });

    private static async Task ShouldStream(RxFeedClient client, string symbol)
    {
        // Both subscriptions share one connection; the health one first so it sees the first tick make the symbol Live.
        Task<HealthChange> live = client.Health.FirstAsync(h => h.State == FeedState.Live).ToTask();
        IList<BookTicker> ticks = await client.BookTickers.Take(10).ToList().ToTask().WaitAsync(Bound);
        HealthChange health = await live.WaitAsync(Bound);

        ticks.Should().OnlyContain(t => t.Symbol == symbol);
        ticks.Select(t => t.UpdateId).Should().BeInAscendingOrder();
        health.Symbol.Should().Be(symbol);
        client.Counters.Snapshot().BookTickers.Should().BeGreaterThanOrEqualTo(10);
        client.ConnectionCounters.ConnectionsOpened.Should().Be(1, "ticks and health share one connection");
    }
}
