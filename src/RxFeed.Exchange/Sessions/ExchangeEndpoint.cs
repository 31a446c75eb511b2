using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Frames;
using RxFeed.Exchange.Market;

namespace RxFeed.Exchange.Sessions;

/// <summary>Turns an HTTP request into a WebSocket session: checks the endpoint and the handshake, then upgrades Kestrel's connection.</summary>
internal sealed class ExchangeEndpoint
{
    private readonly ExchangeOptions _options;
    private readonly ExchangeCounters _counters;
    private readonly MarketHub _hub;
    private readonly ExchangeFaults _faults;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConnectionAttemptLimiter _attempts;

    /// <summary>Initializes a new instance of the <see cref="ExchangeEndpoint"/> class.</summary>
    /// <param name="options">The options.</param>
    /// <param name="counters">The counters.</param>
    /// <param name="hub">The market hub.</param>
    /// <param name="faults">The faults (for refused upgrades).</param>
    /// <param name="loggerFactory">The logger factory.</param>
    public ExchangeEndpoint(ExchangeOptions options, ExchangeCounters counters, MarketHub hub, ExchangeFaults faults, ILoggerFactory loggerFactory)
    {
        _options = options;
        _counters = counters;
        _hub = hub;
        _faults = faults;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ExchangeEndpoint>();
        _attempts = new ConnectionAttemptLimiter(options.MaxConnectionAttempts, options.ConnectionAttemptWindow);
    }

    /// <summary>Handles one HTTP request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task that completes when the request, or the WebSocket session it became, ends.</returns>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!UpgradeRequest.TryParse(request.Path.Value ?? string.Empty, request.Query["streams"].FirstOrDefault(), out var parsed, out var error))
        {
            await RejectAsync(context, StatusCodes.Status404NotFound, "Not found").ConfigureAwait(false);
            return;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = request.Headers.SecWebSocketKey.ToString();
        if (!HttpMethods.IsGet(request.Method) || upgrade is not { IsUpgradableRequest: true }
            || !request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Upgrade = "websocket";
            await RejectAsync(context, StatusCodes.Status426UpgradeRequired, "A WebSocket upgrade is required").ConfigureAwait(false);
            return;
        }

        if (request.Headers.SecWebSocketVersion.ToString() != "13" || !WebSocketHandshake.IsValidKey(key))
        {
            context.Response.Headers.SecWebSocketVersion = "13";
            await RejectAsync(context, StatusCodes.Status400BadRequest, "Bad WebSocket handshake").ConfigureAwait(false);
            return;
        }

        if (parsed is null || parsed.Streams.Count > _options.MaxStreams)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, error ?? $"Too many streams (max {_options.MaxStreams})").ConfigureAwait(false);
            return;
        }

        if (!_attempts.TryAttempt(context.Connection.RemoteIpAddress))
        {
            _counters.AttemptLimited();
            _logger.LogWarning("Refusing an upgrade from {Address} with 429: more than {Limit} attempts in {Window}", context.Connection.RemoteIpAddress, _options.MaxConnectionAttempts, _options.ConnectionAttemptWindow);
            await RejectAsync(context, StatusCodes.Status429TooManyRequests, "Too many connection attempts").ConfigureAwait(false);
            return;
        }

        if (_faults.TryConsumeRefusal())
        {
            _counters.UpgradeRefused();
            _logger.LogInformation("Refusing an upgrade with 503 (scripted fault)");
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable").ConfigureAwait(false);
            return;
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = WebSocketHandshake.ComputeAccept(key);
        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);

        using var session = new ClientSession(stream, context.Abort, parsed.Combined, _options, _counters, _hub, _loggerFactory.CreateLogger<ClientSession>())
        {
            SwallowRequest = _faults.TryConsumeIgnore,
        };
        var registered = _hub.Register(session);
        _counters.ConnectionOpened();
        try
        {
            if (!registered)
            {
                session.SendServerShutdownAndClose(); // upgraded while the exchange stops: announce and close at once
            }
            else if (parsed.Streams.Count > 0)
            {
                session.Subscribe(parsed.Streams);
                session.CommitSubscriptions();
            }

            _logger.LogDebug("Connection {ConnectionId} opened on {Path} with {Streams} streams", session.Id, request.Path.Value, parsed.Streams.Count);
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _counters.ConnectionClosed();
            _logger.LogDebug("Connection {ConnectionId} ended", session.Id);
        }
    }

    private static Task RejectAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(text + "\n");
    }
}
