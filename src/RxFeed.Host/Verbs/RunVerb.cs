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
            Description = "Source symbols, comma separated (default ADAUSDT; env BINANCE_SYMBOL_SRC).",
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
        var reconnectMax = CliOptions.Duration("--reconnect-max", TimeSpan.FromSeconds(30), "Reconnect backoff cap (env BINANCE_RECONNECT_INTERVAL, seconds)");
        var maxAttempts = CliOptions.NonNegativeInt("--max-reconnect-attempts", 0, "Consecutive failed reconnects before the run fails with exit 1; 0 retries forever");
        var ping = CliOptions.Duration("--ping-interval", TimeSpan.FromSeconds(15), "Client keep-alive ping interval; 0 turns it off");
        var maxFrameBytes = CliOptions.PositiveInt("--max-frame-bytes", FrameParser.DefaultMaxFrameBytes, "A frame longer than this many bytes is malformed and never parsed");
        var config = CliOptions.InputFile("--config", "An appsettings.json-style file; layering: appsettings.json < this file < environment < command line.");
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout when done." };
        var ticksOut = CliOptions.OutputFile("--ticks-out", "Write every delivered book ticker as NDJSON.");
        var record = CliOptions.OutputFile("--record", "Record raw frames in the replay format (`<receive ns> <frame>`).");

        var command = new Command("run", "Stream live book tickers through the self-healing connection (offline: the embedded local exchange).")
        {
            endpoint, symbols, duration, reconnectInitial, reconnectMax, maxAttempts, ping, maxFrameBytes, config, json, ticksOut, record,
        };

        // --stale-after and --health-out come with the quote flags: one staleness bound for health, quoting and the watchdog.
        var quoting = new QuoteFlags();
        quoting.AddTo(command);
        Option<TimeSpan> staleAfter = quoting.StaleAfter;
        var layered = new Dictionary<string, Option>
        {
            ["Endpoint"] = endpoint, ["Symbols"] = symbols, ["Duration"] = duration, ["StaleAfter"] = staleAfter,
            ["ReconnectInitial"] = reconnectInitial, ["ReconnectMax"] = reconnectMax, ["MaxReconnectAttempts"] = maxAttempts,
            ["PingInterval"] = ping, ["MaxFrameBytes"] = maxFrameBytes,
        };
        command.SetAction(async (parse, cancel) =>
        {
            RunConnectionSettings connection;
            try
            {
                // Only what the user typed overrides the lower layers; an option's default does not.
                Dictionary<string, string> given = layered
                    .Select(e => (e.Key, Result: parse.GetResult(e.Value)))
                    .Where(e => e.Result is { Implicit: false, Tokens.Count: > 0 })
                    .ToDictionary(e => e.Key, e => e.Result!.Tokens[0].Value);
                connection = RunConfiguration.Bind(RunConfiguration.Build(parse.GetValue(config)?.FullName, null, given));
            }
            catch (ConfigurationException ex)
            {
                await Console.Error.WriteLineAsync("rxfeed run: " + ex.Message).ConfigureAwait(false);
                return Program.UsageError;
            }

            QuotingOutputs outputs = new(quoting.Bind(parse), parse.GetValue(quoting.QuotesOut), parse.GetValue(quoting.OrdersOut), parse.GetValue(quoting.HealthOut));
            outputs.Options.StaleAfter = connection.StaleAfter;
            var settings = new RunSettings
            {
                Endpoint = connection.Endpoint,
                Symbols = connection.Symbols,
                Duration = connection.Duration,
                StaleAfter = connection.StaleAfter,
                ReconnectInitial = connection.ReconnectInitial,
                ReconnectMax = connection.ReconnectMax,
                MaxReconnectAttempts = connection.MaxReconnectAttempts,
                PingInterval = connection.PingInterval,
                MaxFrameBytes = connection.MaxFrameBytes,
                Json = parse.GetValue(json),
                TicksOut = parse.GetValue(ticksOut)?.FullName,
                Record = parse.GetValue(record)?.FullName,
                Quoting = outputs,
            };
            return await RunSession.RunAsync(settings, cancel).ConfigureAwait(false);
        });
        return command;
    }

    internal static string[] ParseSymbols(string? text) => RunConfiguration.ParseSymbols(text);

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

    public int MaxReconnectAttempts { get; init; }

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

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
        MaxReconnectAttempts = MaxReconnectAttempts,
        KeepAliveInterval = PingInterval,
        MaxFrameBytes = MaxFrameBytes,
    };
}
