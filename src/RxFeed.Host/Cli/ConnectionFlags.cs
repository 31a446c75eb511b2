using System.CommandLine;
using RxFeed.Parsing;

namespace RxFeed.Host.Cli;

/// <summary>
/// The connection flags shared by <c>run</c> and <c>record</c>, and their resolution with configuration through
/// <see cref="RunConfiguration"/> (only flags the user typed override the lower layers).
/// </summary>
internal sealed class ConnectionFlags
{
    private readonly Dictionary<string, Option> _layered;

    /// <param name="staleAfter">The verb's <c>--stale-after</c> when it declares it elsewhere (run: with the quote flags); null adds one.</param>
    public ConnectionFlags(Option<TimeSpan>? staleAfter = null)
    {
        Endpoint.Validators.Add(result =>
        {
            foreach (string text in result.GetValueOrDefault<string[]?>() ?? [])
            {
                if (!(Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "ws" || uri.Scheme == "wss") && !string.IsNullOrEmpty(uri.Host)))
                {
                    result.AddError($"--endpoint: '{text}' is not a ws:// or wss:// URL");
                }
            }
        });
        Symbols.Validators.Add(result =>
        {
            if (RunConfiguration.ParseSymbols(result.GetValueOrDefault<string>()).Length == 0)
            {
                result.AddError("--symbols: at least one symbol is required");
            }
        });
        OwnsStaleAfter = staleAfter is null;
        StaleAfter = staleAfter ?? CliOptions.Duration("--stale-after", TimeSpan.FromSeconds(10), "A connection silent for this long is replaced");
        _layered = new Dictionary<string, Option>
        {
            ["Endpoint"] = Endpoint, ["Symbols"] = Symbols, ["Duration"] = Duration, ["StaleAfter"] = StaleAfter,
            ["ReconnectInitial"] = ReconnectInitial, ["ReconnectMax"] = ReconnectMax, ["MaxReconnectAttempts"] = MaxReconnectAttempts,
            ["PingInterval"] = PingInterval, ["MaxFrameBytes"] = MaxFrameBytes,
            ["EndpointMode"] = EndpointMode, ["FailbackAfter"] = FailbackAfter,
        };
    }

    public Option<string[]?> Endpoint { get; } = new("--endpoint")
    {
        Description = "wss://host:port/ws or ws://127.0.0.1:PORT/ws (default: $BINANCE_WS_ENDPOINT, else the embedded local exchange); repeat it for redundant endpoints of one market, the preferred first.",
        HelpName = "URL",
    };

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = "Several endpoints at once: 'binance' (Binance's three hosts) or URLs comma separated (RxFeed:Endpoints).",
        HelpName = "binance|A,B",
    };

    public Option<string?> EndpointMode { get; } = new("--endpoint-mode")
    {
        Description = "With several endpoints: hedged (all at once, first arrival wins; the default), failover (one at a time) or single (the first only).",
        HelpName = "single|failover|hedged",
    };

    public Option<TimeSpan> FailbackAfter { get; } = CliOptions.Duration("--failback-after", TimeSpan.FromSeconds(30), "Failover: how long the preferred endpoint waits before it is tried again, and must then stay healthy before the switch back");

    public Option<string> Symbols { get; } = new("--symbols")
    {
        Description = "Source symbols, comma separated (default ADAUSDT; env BINANCE_SYMBOL_SRC).",
        DefaultValueFactory = _ => "ADAUSDT",
        HelpName = "A,B",
    };

    public Option<TimeSpan?> Duration { get; } = CliOptions.OptionalDuration("--duration", "Stop after this long (default: run until Ctrl+C).");

    public Option<TimeSpan> StaleAfter { get; }

    public Option<TimeSpan> ReconnectInitial { get; } = CliOptions.Duration("--reconnect-initial", TimeSpan.FromSeconds(1), "First reconnect backoff delay");

    public Option<TimeSpan> ReconnectMax { get; } = CliOptions.Duration("--reconnect-max", TimeSpan.FromSeconds(30), "Reconnect backoff cap (env BINANCE_RECONNECT_INTERVAL, seconds)");

    public Option<int> MaxReconnectAttempts { get; } = CliOptions.NonNegativeInt("--max-reconnect-attempts", 0, "Consecutive failed reconnects before the verb fails with exit 1; 0 retries forever");

    public Option<TimeSpan> PingInterval { get; } = CliOptions.Duration("--ping-interval", TimeSpan.FromSeconds(15), "Client keep-alive ping interval; 0 turns it off");

    public Option<int> MaxFrameBytes { get; } = CliOptions.PositiveInt("--max-frame-bytes", FrameParser.DefaultMaxFrameBytes, "A frame longer than this many bytes is malformed and never parsed");

    public Option<FileInfo?> Config { get; } = CliOptions.InputFile("--config", "An appsettings.json-style file; layering: appsettings.json < this file < environment < command line.");

    private bool OwnsStaleAfter { get; }

    public void AddTo(Command command)
    {
        foreach (Option option in _layered.Values.Where(o => o != StaleAfter || OwnsStaleAfter).Append(Endpoints).Append(Config))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Layers configuration and the flags the user typed; throws <see cref="ConfigurationException"/> naming a bad key.</summary>
    public RunConnectionSettings Resolve(ParseResult parse) =>
        RunConfiguration.Bind(RunConfiguration.Build(parse.GetValue(Config)?.FullName, null, Given(parse)));

    /// <summary>The flags the user typed, by our key (the command-line layer; it stays on top when the file is reloaded).</summary>
    public IReadOnlyDictionary<string, string> Given(ParseResult parse)
    {
        Dictionary<string, string> given = _layered
            .Select(e => (e.Key, Result: parse.GetResult(e.Value)))
            .Where(e => e.Result is { Implicit: false, Tokens.Count: > 0 })
            .ToDictionary(e => e.Key, e => e.Result!.Tokens[0].Value);

        // A repeated --endpoint is the endpoint list (it beats RxFeed:Endpoints of lower layers); --endpoints is the other spelling.
        string[] repeated = parse.GetResult(Endpoint) is { Implicit: false } one ? [.. one.Tokens.Select(t => t.Value)] : [];
        string? list = parse.GetResult(Endpoints) is { Implicit: false, Tokens.Count: > 0 } many ? many.Tokens[0].Value : null;
        if (repeated.Length > 0 && list is not null)
        {
            throw new ConfigurationException("--endpoint and --endpoints: give the endpoints one way");
        }

        if (repeated.Length > 0 || list is not null)
        {
            given["Endpoints"] = list ?? string.Join(',', repeated);
        }

        return given;
    }
}
