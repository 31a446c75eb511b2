using System.Globalization;
using Microsoft.Extensions.Configuration;
using RxFeed.Connection;

namespace RxFeed.Hosting;

/// <summary>
/// What an embedded RxFeed connects to and how it heals; bound from the <c>RxFeed</c> configuration section by
/// <see cref="RxFeedServiceCollectionExtensions.AddRxFeed(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>, or set in code for <see cref="RxFeedClient.Create"/>.
/// </summary>
public sealed class RxFeedOptions
{
    /// <summary>The configuration section read by <see cref="Bind"/>.</summary>
    public const string SectionName = "RxFeed";

    /// <summary>Gets Binance's three hosts of one market (<c>RxFeed:Endpoints = binance</c>).</summary>
    public static IReadOnlyList<Uri> BinanceEndpoints { get; } =
    [
        new("wss://stream.binance.com:9443/ws"),
        new("wss://stream.binance.com:443/ws"),
        new("wss://data-stream.binance.vision/ws"),
    ];

    /// <summary>Gets or sets the WebSocket endpoint (<c>wss://host:port/ws</c> or <c>ws://127.0.0.1:PORT/ws</c>).</summary>
    public Uri Endpoint { get; set; } = new("wss://data-stream.binance.vision/ws");

    /// <summary>
    /// Gets or sets several endpoints of one market, the preferred first (<c>RxFeed:Endpoints</c>, an array, <c>"a,b"</c> or
    /// <c>binance</c> for Binance's three hosts); when set it wins over <see cref="Endpoint"/>.
    /// </summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = [];

    /// <summary>Gets or sets how several endpoints are used (<c>RxFeed:EndpointMode</c>); default hedged with several, single with one.</summary>
    public EndpointMode? EndpointMode { get; set; }

    /// <summary>Gets or sets the failover's wait before the preferred endpoint is tried again, and its healthy time before the switch back. Default 30 s.</summary>
    public TimeSpan FailbackAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the endpoints in use: <see cref="Endpoints"/>, else <see cref="Endpoint"/>.</summary>
    public IReadOnlyList<Uri> AllEndpoints => Endpoints.Count > 0 ? Endpoints : [Endpoint];

    /// <summary>Gets the mode in effect: <see cref="EndpointMode"/>, else hedged with several endpoints, single with one.</summary>
    public EndpointMode Mode => EndpointMode ?? (AllEndpoints.Count > 1 ? Connection.EndpointMode.Hedged : Connection.EndpointMode.Single);

    /// <summary>Gets or sets the source symbols. Default ADAUSDT.</summary>
    public IReadOnlyList<string> Symbols { get; set; } = ["ADAUSDT"];

    /// <summary>Gets or sets how long a symbol may go without a delivered tick before it is Stale. Default 10 s.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the first reconnect delay. Default 1 s.</summary>
    public TimeSpan ReconnectInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the reconnect delay cap. Default 30 s.</summary>
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the consecutive failed reconnects before the feed errors; 0 retries forever.</summary>
    public int MaxReconnectAttempts { get; set; }

    /// <summary>Gets or sets the client keep-alive ping interval; zero turns it off. Default 15 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the frame cap; longer frames are counted malformed. Default 1 MiB.</summary>
    public int MaxFrameBytes { get; set; } = 1 << 20;

    /// <summary>Gets or sets the frames we may send per connection in any sliding second, pings and pongs included (2–5). Default 4.</summary>
    public int MaxOutgoingPerSecond { get; set; } = FeedConnectionOptions.ServerMessagesPerSecond - 1;

    /// <summary>Gets or sets how long a request may go unanswered before it is TimedOut and the connection rebuilt. Default 10 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often each connection lists and repairs its subscriptions; zero turns it off. Default 5 min.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reads the options from a section (<c>Endpoint</c>, <c>Symbols</c> as "A,B" or an array, <c>StaleAfter</c>, ...).
    /// Durations are written <c>500ms</c>, <c>2s</c>, <c>1m</c>, or as a number of seconds.
    /// </summary>
    /// <param name="section">The section, usually <c>configuration.GetSection("RxFeed")</c>.</param>
    /// <returns>The options, not yet validated.</returns>
    /// <exception cref="ArgumentException">A value cannot be read; the message names the key.</exception>
    public static RxFeedOptions Bind(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var o = new RxFeedOptions();
        if (section[nameof(Endpoint)] is { Length: > 0 } endpoint)
        {
            o.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) ? uri : throw ConfigurationValues.Bad(section, nameof(Endpoint), "is not a URL");
        }

        IConfigurationSection endpoints = section.GetSection(nameof(Endpoints));
        string? endpointList = endpoints.Value ?? (endpoints.GetChildren().Any() ? string.Join(',', endpoints.GetChildren().Select(c => c.Value)) : null);
        if (endpointList is not null)
        {
            o.Endpoints = endpointList.Trim().Equals("binance", StringComparison.OrdinalIgnoreCase)
                ? BinanceEndpoints
                : [.. endpointList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(e => Uri.TryCreate(e, UriKind.Absolute, out Uri? uri) ? uri : throw ConfigurationValues.Bad(section, nameof(Endpoints), "is not a list of URLs"))];
        }

        if (section[nameof(EndpointMode)] is { Length: > 0 } mode)
        {
            o.EndpointMode = Enum.TryParse(mode, ignoreCase: true, out EndpointMode parsed) && Enum.IsDefined(parsed) && !char.IsDigit(mode[0])
                ? parsed
                : throw ConfigurationValues.Bad(section, nameof(EndpointMode), "is not single, failover or hedged");
        }

        o.FailbackAfter = ConfigurationValues.Duration(section, nameof(FailbackAfter), o.FailbackAfter);
        IConfigurationSection symbols = section.GetSection(nameof(Symbols));
        string? list = symbols.Value ?? (symbols.GetChildren().Any() ? string.Join(',', symbols.GetChildren().Select(c => c.Value)) : null);
        if (list is not null)
        {
            o.Symbols = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];
        }

        o.StaleAfter = ConfigurationValues.Duration(section, nameof(StaleAfter), o.StaleAfter);
        o.ReconnectInitial = ConfigurationValues.Duration(section, nameof(ReconnectInitial), o.ReconnectInitial);
        o.ReconnectMax = ConfigurationValues.Duration(section, nameof(ReconnectMax), o.ReconnectMax);
        o.PingInterval = ConfigurationValues.Duration(section, nameof(PingInterval), o.PingInterval);
        o.MaxReconnectAttempts = ConfigurationValues.Integer(section, nameof(MaxReconnectAttempts), o.MaxReconnectAttempts);
        o.MaxFrameBytes = ConfigurationValues.Integer(section, nameof(MaxFrameBytes), o.MaxFrameBytes);
        o.MaxOutgoingPerSecond = ConfigurationValues.Integer(section, nameof(MaxOutgoingPerSecond), o.MaxOutgoingPerSecond);
        o.AckTimeout = ConfigurationValues.Duration(section, nameof(AckTimeout), o.AckTimeout);
        o.ReconcileInterval = ConfigurationValues.Duration(section, nameof(ReconcileInterval), o.ReconcileInterval);
        return o;
    }

    /// <summary>The connection settings these options stand for.</summary>
    /// <returns>New connection options.</returns>
    public FeedConnectionOptions ToConnectionOptions() => ToConnectionOptions(AllEndpoints[0]);

    /// <summary>The connection settings these options stand for, on one endpoint.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>New connection options.</returns>
    public FeedConnectionOptions ToConnectionOptions(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Symbols = Symbols,
        StaleAfter = StaleAfter,
        ReconnectInitial = ReconnectInitial,
        ReconnectMax = ReconnectMax,
        MaxReconnectAttempts = MaxReconnectAttempts,
        KeepAliveInterval = PingInterval,
        MaxFrameBytes = MaxFrameBytes,
        OutboundMessagesPerSecond = MaxOutgoingPerSecond,
        AckTimeout = AckTimeout,
        ReconcileInterval = ReconcileInterval,
    };

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        foreach (Uri endpoint in AllEndpoints)
        {
            ToConnectionOptions(endpoint).Validate();
        }

        if (AllEndpoints.Distinct().Count() != AllEndpoints.Count)
        {
            throw new ArgumentException("RxFeed:Endpoints: an endpoint is listed twice", nameof(Endpoints));
        }

        if (Mode != Connection.EndpointMode.Single && AllEndpoints.Count < 2)
        {
            throw new ArgumentException($"RxFeed:EndpointMode: {Mode} needs at least two endpoints", nameof(EndpointMode));
        }
    }
}
