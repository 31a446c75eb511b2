using System.Reactive.Subjects;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RxFeed.Exchange;
using RxFeed.Health;
using RxFeed.Hosting;

namespace RxFeed.Integration.Tests;

/// <summary><see cref="RxFeedHealthCheck"/>: its status rule on given health changes, and registered beside a client that streams from a LocalExchange.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Check_FollowsEverySymbolsLatestState()
    {
        using var health = new Subject<HealthChange>();
        using var check = new RxFeedHealthCheck(health, ["adausdt", "BTCUSDT"]);

        (await Status(check)).Should().Be(HealthStatus.Unhealthy, "no symbol has data yet");

        health.OnNext(new HealthChange("ADAUSDT", FeedState.Live, "fresh tick", 1));
        HealthCheckResult degraded = await check.CheckHealthAsync(new HealthCheckContext());
        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Description.Should().Contain("BTCUSDT Connecting");
        degraded.Data["ADAUSDT"].Should().Be(new HealthCheckSymbol("Live", "fresh tick", 1));

        health.OnNext(new HealthChange("BTCUSDT", FeedState.Live, "fresh tick", 2));
        (await Status(check)).Should().Be(HealthStatus.Healthy);

        health.OnNext(new HealthChange("ADAUSDT", FeedState.Stale, "no tick for 10s", 3));
        health.OnNext(new HealthChange("BTCUSDT", FeedState.Crossed, "bid >= ask", 4));
        HealthCheckResult down = await check.CheckHealthAsync(new HealthCheckContext());
        down.Status.Should().Be(HealthStatus.Unhealthy);
        down.Description.Should().Be("no symbol Live: ADAUSDT Stale, BTCUSDT Crossed");
    }

    [Fact]
    public async Task Check_FailureStatusOfItsRegistration_IsUsedWhenNoSymbolIsLive()
    {
        using var check = new RxFeedHealthCheck(new Subject<HealthChange>(), ["ADAUSDT"]);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("rxfeed", check, HealthStatus.Degraded, null) };

        (await check.CheckHealthAsync(context)).Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task AddHealthChecks_AddRxFeed_HealthyOnceTheClientStreamsFromALocalExchange()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = new MarketOptions { Symbols = ["ETHUSDT"], Rate = 50 } });
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxFeed:Endpoint"] = exchange.BaseUrl + "/ws",
            ["RxFeed:Symbols:0"] = "ethusdt",
        }).Build();
        var services = new ServiceCollection().AddRxFeed(configuration);
        services.AddLogging().AddHealthChecks().AddRxFeed(tags: ["ready"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthCheckService checks = provider.GetRequiredService<HealthCheckService>();

        using var hung = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        HealthReport report = await checks.CheckHealthAsync(hung.Token);
        while (report.Status != HealthStatus.Healthy)
        {
            await Task.Delay(50, hung.Token);
            report = await checks.CheckHealthAsync(hung.Token);
        }

        report.Entries["rxfeed"].Data["ETHUSDT"].Should().BeOfType<HealthCheckSymbol>().Which.State.Should().Be("Live");
        report.Entries["rxfeed"].Tags.Should().Equal("ready");
    }

    private static async Task<HealthStatus> Status(RxFeedHealthCheck check) => (await check.CheckHealthAsync(new HealthCheckContext())).Status;
}
