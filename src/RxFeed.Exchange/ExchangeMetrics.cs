using System.Diagnostics.Metrics;

namespace RxFeed.Exchange;

/// <summary>The exchange's counters as <see cref="System.Diagnostics.Metrics"/> instruments (meter <c>RxFeed.Exchange</c>), for OpenTelemetry.</summary>
internal sealed class ExchangeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "RxFeed.Exchange";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Initializes a new instance of the <see cref="ExchangeMetrics"/> class.</summary>
    /// <param name="counters">The counters to observe.</param>
    public ExchangeMetrics(ExchangeCounters counters)
    {
        _meter.CreateObservableCounter("rxfeed.exchange.connections", () => counters.ConnectionsAccepted, description: "WebSocket sessions opened");
        _meter.CreateObservableUpDownCounter("rxfeed.exchange.connections.active", () => counters.ActiveConnections, description: "Sessions open now");
        _meter.CreateObservableCounter("rxfeed.exchange.closes.rate_limit", () => counters.RateLimitCloses, description: "1008 closes for too many messages");
        _meter.CreateObservableCounter("rxfeed.exchange.closes.pong_timeout", () => counters.PongTimeouts, description: "Disconnects for a missing pong");
        _meter.CreateObservableCounter("rxfeed.exchange.closes.lifetime", () => counters.LifetimeCloses, description: "Closes at the maximum lifetime");
        _meter.CreateObservableCounter("rxfeed.exchange.disconnects.slow_client", () => counters.SlowClientDisconnects, description: "Clients cut for not reading");
        _meter.CreateObservableCounter("rxfeed.exchange.frames.sent", () => counters.FramesSent, description: "Data frames written");
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
