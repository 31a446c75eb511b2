using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Market;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange;

/// <summary>
/// A Binance-compatible market-data WebSocket server on Kestrel: <c>/ws/&lt;stream&gt;…</c>, <c>/ws</c> and
/// <c>/stream?streams=a/b</c>, with Binance's control messages, pings, limits and lifetime, a replayed or
/// synthetic market, and scripted <see cref="Faults"/>.
/// </summary>
/// <example>
/// <code>
/// await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions(), cancellationToken);
/// var url = exchange.BaseUrl; // ws://127.0.0.1:PORT
/// </code>
/// </example>
public sealed class LocalExchange : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly MarketHub _hub;
    private readonly CancellationTokenSource _marketStop;
    private readonly Task _market;
    private readonly ILogger _logger;
    private readonly ExchangeMetrics _metrics;
    private int _stopped;

    private LocalExchange(WebApplication app, MarketHub hub, ExchangeFaults faults, ExchangeCounters counters, CancellationTokenSource marketStop, Task market, Uri baseUri, ILogger logger)
    {
        _app = app;
        _hub = hub;
        Faults = faults;
        Counters = counters;
        _marketStop = marketStop;
        _market = market;
        BaseUri = baseUri;
        _logger = logger;
        _metrics = new ExchangeMetrics(counters);
    }

    /// <summary>Gets the base URL, <c>ws://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>Gets the base URL as text, <c>ws://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string BaseUrl => BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>Gets the port the exchange listens on.</summary>
    public int Port => BaseUri.Port;

    /// <summary>Gets what the exchange has done so far.</summary>
    public ExchangeCounters Counters { get; }

    /// <summary>Gets the scripted faults.</summary>
    public ExchangeFaults Faults { get; }

    /// <summary>Gets a task that ends when the market ends (a replay without looping ends after its last frame).</summary>
    public Task Market => _market;

    /// <summary>Starts an exchange and returns once it listens.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running exchange.</returns>
    public static Task<LocalExchange> StartAsync(ExchangeOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, NullLoggerFactory.Instance, cancellationToken);

    /// <summary>Starts an exchange and returns once it listens.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Where the exchange logs (Kestrel's own logs are not forwarded).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running exchange.</returns>
    public static async Task<LocalExchange> StartAsync(ExchangeOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);

        var counters = new ExchangeCounters();
        var hub = new MarketHub();
        var clock = new MarketClock();
        var logger = loggerFactory.CreateLogger<LocalExchange>();
        var faults = new ExchangeFaults(hub, clock, counters, options.ShutdownGrace, loggerFactory.CreateLogger<ExchangeFaults>());
        var endpoint = new ExchangeEndpoint(options, counters, hub, faults, loggerFactory);

        // The empty builder reads no appsettings.json or ASPNETCORE_* settings: only what is configured here applies.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null; // slow readers are the send queue's business, counted there
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopGrace);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false); // e.g. the port is taken: nothing may stay behind
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var baseUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://{host}:{port}"));

        var marketStop = new CancellationTokenSource();
        IMarket market = options.Market.IsReplay
            ? new ReplayMarket(options.Market, hub, clock, loggerFactory.CreateLogger<ReplayMarket>())
            : new SyntheticMarket(options.Market, hub, clock);
        var marketTask = Task.Run(() => market.RunAsync(marketStop.Token), CancellationToken.None);
        logger.LogInformation("Local exchange listening on {Url}", baseUri);
        return new LocalExchange(app, hub, faults, counters, marketStop, marketTask, baseUri, logger);
    }

    /// <summary>
    /// Stops within a few seconds even with clients connected: announces <c>serverShutdown</c>, closes every
    /// connection (1001), drops those that do not answer, then stops Kestrel.
    /// </summary>
    /// <returns>A task that completes when stopped.</returns>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _marketStop.CancelAsync().ConfigureAwait(false);
        var sessions = _hub.BeginStop();
        foreach (var session in sessions)
        {
            session.SendServerShutdownAndClose();
        }

        var closed = Task.WhenAll(sessions.Select(s => s.Completion));
        if (await Task.WhenAny(closed, Task.Delay(StopGrace)).ConfigureAwait(false) != closed)
        {
            foreach (var session in sessions)
            {
                session.Abort();
            }
        }

        using (var timeout = new CancellationTokenSource(StopGrace))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Kestrel gave up waiting on connections we already aborted.
            }
        }

        try
        {
            await _market.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The market ends by cancellation.
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            _logger.LogError(ex, "The market failed");
        }

        _logger.LogInformation("Local exchange stopped ({Connections} connections served)", Counters.ConnectionsAccepted);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _marketStop.Dispose();
        _metrics.Dispose();
    }
}
