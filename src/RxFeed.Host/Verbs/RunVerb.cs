using System.CommandLine;
using RxFeed.Connection;
using RxFeed.Host.Cli;
using RxFeed.Parsing;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed run</c>: live book tickers through the self-healing connection and the pipeline.</summary>
internal static class RunVerb
{
    /// <summary>The environment variable naming the endpoint when <c>--endpoint</c> is not given.</summary>
    public const string EndpointVariable = "BINANCE_WS_ENDPOINT";

    public static Command Create()
    {
        var endpoint = new Option<string?>("--endpoint")
        {
            Description = $"wss://host:port/ws or ws://127.0.0.1:PORT/ws (default: ${EndpointVariable}, else the embedded local exchange).",
            HelpName = "URL",
        };
        endpoint.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string?>();
            if (text is not null && !TryEndpoint(text, out _))
            {
                result.AddError($"--endpoint: '{text}' is not a ws:// or wss:// URL");
            }
        });
        var symbols = new Option<string>("--symbols")
        {
            Description = "Source symbols, comma separated (default ADAUSDT).",
            DefaultValueFactory = _ => "ADAUSDT",
            HelpName = "A,B",
        };
        symbols.Validators.Add(result =>
        {
            if (ParseSymbols(result.GetValueOrDefault<string>()).Length == 0)
            {
                result.AddError("--symbols: at least one symbol is required");
            }
        });
        var duration = CliOptions.OptionalDuration("--duration", "Stop after this long (default: run until Ctrl+C).");
        var reconnectInitial = CliOptions.Duration("--reconnect-initial", TimeSpan.FromSeconds(1), "First reconnect backoff delay");
        var reconnectMax = CliOptions.Duration("--reconnect-max", TimeSpan.FromSeconds(30), "Reconnect backoff cap");
        var maxFrameBytes = CliOptions.PositiveInt("--max-frame-bytes", FrameParser.DefaultMaxFrameBytes, "A frame longer than this many bytes is malformed and never parsed");
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout when done." };
        var ticksOut = CliOptions.OutputFile("--ticks-out", "Write every delivered book ticker as NDJSON.");
        var record = CliOptions.OutputFile("--record", "Record raw frames in the replay format (`<receive ns> <frame>`).");

        var command = new Command("run", "Stream live book tickers through the self-healing connection (offline: the embedded local exchange).")
        {
            endpoint, symbols, duration, reconnectInitial, reconnectMax, maxFrameBytes, json, ticksOut, record,
        };

        // --stale-after and --health-out come with the quote flags: one staleness bound for health, quoting and the watchdog.
        var quoting = new QuoteFlags();
        quoting.AddTo(command);
        Option<TimeSpan> staleAfter = quoting.StaleAfter;
        command.SetAction(async (parse, cancel) =>
        {
            string? url = parse.GetValue(endpoint) ?? Environment.GetEnvironmentVariable(EndpointVariable);
            if (!string.IsNullOrWhiteSpace(url) && !TryEndpoint(url, out _))
            {
                await Console.Error.WriteLineAsync($"rxfeed run: {EndpointVariable}: '{url}' is not a ws:// or wss:// URL").ConfigureAwait(false);
                return Program.UsageError;
            }

            string? problem = CheckTimes(parse.GetValue(staleAfter), parse.GetValue(reconnectInitial), parse.GetValue(reconnectMax), parse.GetValue(duration));
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync("rxfeed run: " + problem).ConfigureAwait(false);
                return Program.UsageError;
            }

            var settings = new RunSettings
            {
                Endpoint = string.IsNullOrWhiteSpace(url) ? null : new Uri(url),
                Symbols = ParseSymbols(parse.GetValue(symbols)),
                Duration = parse.GetValue(duration),
                StaleAfter = parse.GetValue(staleAfter),
                ReconnectInitial = parse.GetValue(reconnectInitial),
                ReconnectMax = parse.GetValue(reconnectMax),
                MaxFrameBytes = parse.GetValue(maxFrameBytes),
                Json = parse.GetValue(json),
                TicksOut = parse.GetValue(ticksOut)?.FullName,
                Record = parse.GetValue(record)?.FullName,
                Quoting = new QuotingOutputs(quoting.Bind(parse), parse.GetValue(quoting.QuotesOut), parse.GetValue(quoting.OrdersOut), parse.GetValue(quoting.HealthOut)),
            };
            return await RunSession.RunAsync(settings, cancel).ConfigureAwait(false);
        });
        return command;
    }

    internal static string? CheckTimes(TimeSpan staleAfter, TimeSpan initial, TimeSpan max, TimeSpan? duration) =>
        initial <= TimeSpan.Zero ? "--reconnect-initial must be positive"
        : max < initial ? "--reconnect-max must not be below --reconnect-initial"
        : staleAfter <= TimeSpan.Zero ? "--stale-after must be positive"
        : duration is { } d && d <= TimeSpan.Zero ? "--duration must be positive"
        : null;

    internal static string[] ParseSymbols(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];

    private static bool TryEndpoint(string text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == "ws" || uri.Scheme == "wss") && !string.IsNullOrEmpty(uri.Host);
}

/// <summary>What <c>run</c> was asked to do, after parsing.</summary>
internal sealed class RunSettings
{
    public Uri? Endpoint { get; init; }

    public IReadOnlyList<string> Symbols { get; init; } = ["ADAUSDT"];

    public TimeSpan? Duration { get; init; }

    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxFrameBytes { get; init; } = FrameParser.DefaultMaxFrameBytes;

    public bool Json { get; init; }

    public string? TicksOut { get; init; }

    public string? Record { get; init; }

    public QuotingOutputs Quoting { get; init; } = new(new RxFeed.Quoting.QuotingSessionOptions(), null, null, null);

    public FeedConnectionOptions ToConnectionOptions(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Symbols = Symbols,
        StaleAfter = StaleAfter,
        ReconnectInitial = ReconnectInitial,
        ReconnectMax = ReconnectMax,
        MaxFrameBytes = MaxFrameBytes,
    };
}
