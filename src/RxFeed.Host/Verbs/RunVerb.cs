using System.CommandLine;
using RxFeed.Connection;
using RxFeed.Host.Cli;
using RxFeed.Parsing;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed run</c>: live book tickers through the self-healing connection and the pipeline.</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout when done." };
        var ticksOut = CliOptions.OutputFile("--ticks-out", "Write every delivered book ticker as NDJSON.");
        var record = CliOptions.OutputFile("--record", "Record raw frames in the replay format (`<receive ns> <frame>`).");
        var maxTicks = CliOptions.NonNegativeInt("--max-ticks", 0, "Stop after this many delivered book tickers, 0 for no limit (with --duration: whichever comes first)");
        var source = new Option<string?>("--source") { Description = "Take the book tickers from RxFeed publishers on NATS (nats://HOST:PORT) instead of a socket." };
        var publish = new Option<string?>("--publish") { Description = "Also publish every delivered book ticker, health change and a heartbeat on NATS (nats://HOST:PORT; more in RxFeed:Nats)." };

        var http = new Option<string?>("--http") { Description = "Serve /healthz (the symbols' health as JSON; 503 when none is Live) and /metrics (Prometheus) at ADDRESS:PORT, e.g. 127.0.0.1:9100 (port 0: any free one, printed on stderr)." };

        var command = new Command("run", "Stream live book tickers through the self-healing connection (offline: the embedded local exchange).")
        {
            json, ticksOut, record, maxTicks, publish, source, http,
        };

        // --stale-after and --health-out come with the quote flags: one staleness bound for health, quoting and the watchdog.
        var quoting = new QuoteFlags();
        quoting.AddTo(command);
        var flags = new ConnectionFlags(quoting.StaleAfter);
        flags.AddTo(command);
        quoting.Config = flags.Config;
        command.SetAction(async (parse, cancel) =>
        {
            RunConnectionSettings connection;
            RxFeed.Nats.NatsFeedOptions? nats = null, natsSource = null;
            System.Net.IPEndPoint? httpEndpoint = null;
            try
            {
                connection = flags.Resolve(parse);
                nats = NatsOptions(parse.GetValue(publish), "--publish", parse.GetValue(flags.Config)?.FullName);
                natsSource = NatsOptions(parse.GetValue(source), "--source", parse.GetValue(flags.Config)?.FullName);
                if (parse.GetValue(http) is { } address && !System.Net.IPEndPoint.TryParse(address, out httpEndpoint))
                {
                    throw new ArgumentException($"--http: '{address}' is not ADDRESS:PORT (e.g. 127.0.0.1:9100)");
                }

                if (natsSource is not null)
                {
                    // One staleness bound and symbol list for health, quoting and the NATS consumer alike.
                    natsSource.StaleAfter = connection.StaleAfter;
                    natsSource.Symbols = connection.Symbols;
                }
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("rxfeed run: " + ex.Message).ConfigureAwait(false);
                return Program.UsageError;
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
                Endpoints = connection.Endpoints,
                EndpointMode = connection.EndpointMode,
                FailbackAfter = connection.FailbackAfter,
                Symbols = connection.Symbols,
                Duration = connection.Duration,
                StaleAfter = connection.StaleAfter,
                ReconnectInitial = connection.ReconnectInitial,
                ReconnectMax = connection.ReconnectMax,
                MaxReconnectAttempts = connection.MaxReconnectAttempts,
                PingInterval = connection.PingInterval,
                MaxFrameBytes = connection.MaxFrameBytes,
                AckTimeout = connection.AckTimeout,
                ReconcileInterval = connection.ReconcileInterval,
                MaxOutgoingPerSecond = connection.MaxOutgoingPerSecond,
                Json = parse.GetValue(json),
                TicksOut = parse.GetValue(ticksOut)?.FullName,
                Record = parse.GetValue(record)?.FullName,
                MaxTicks = parse.GetValue(maxTicks),
                Quoting = outputs,
                Publish = nats,
                Source = natsSource,
                ConfigFile = parse.GetValue(flags.Config)?.FullName,
                GivenFlags = flags.Given(parse),
                Http = httpEndpoint,
            };
            return await RunSession.RunAsync(settings, cancel).ConfigureAwait(false);
        });
        return command;

        RxFeed.Nats.NatsFeedOptions? NatsOptions(string? url, string flag, string? configFile)
        {
            if (url is null)
            {
                return null;
            }

            // RxFeed:Nats from the same layers as the rest of the run's configuration; the flag gives the URL.
            IEnumerable<KeyValuePair<string, string?>> environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value));
            RxFeed.Nats.NatsFeedOptions options = RxFeed.Nats.NatsFeedOptions.Bind(
                RunConfiguration.Build(configFile, environment, new Dictionary<string, string>()).GetSection("RxFeed"));
            options.Url = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri : throw new ArgumentException($"{flag}: '{url}' is not a nats:// URL");
            options.Validate();
            return options;
        }
    }
}

/// <summary>What <c>run</c> was asked to do, after parsing.</summary>
internal sealed class RunSettings
{
    public Uri? Endpoint { get; init; }

    /// <summary>Gets every endpoint, the preferred first (empty: the embedded exchange).</summary>
    public IReadOnlyList<Uri> Endpoints { get; init; } = [];

    public EndpointMode EndpointMode { get; init; }

    public TimeSpan FailbackAfter { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Symbols { get; init; } = ["ADAUSDT"];

    public TimeSpan? Duration { get; init; }

    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxReconnectAttempts { get; init; }

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

    public int MaxFrameBytes { get; init; } = FrameParser.DefaultMaxFrameBytes;

    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxOutgoingPerSecond { get; init; } = FeedConnectionOptions.ServerMessagesPerSecond - 1;

    public bool Json { get; init; }

    public string? TicksOut { get; init; }

    public string? Record { get; init; }

    /// <summary>Gets the number of delivered book tickers after which the run stops by itself (0: no limit).</summary>
    public long MaxTicks { get; init; }

    /// <summary>Gets where <c>--publish</c> sends the feed, if anywhere.</summary>
    public RxFeed.Nats.NatsFeedOptions? Publish { get; init; }

    /// <summary>Gets where <c>--source</c> takes the feed from instead of a socket, if set.</summary>
    public RxFeed.Nats.NatsFeedOptions? Source { get; init; }

    /// <summary>Gets where <c>--http</c> serves /healthz and /metrics, if anywhere.</summary>
    public System.Net.IPEndPoint? Http { get; init; }

    public QuotingOutputs Quoting { get; init; } = new(new RxFeed.Quoting.QuotingSessionOptions(), null, null, null);

    /// <summary>Gets the <c>--config</c> file, followed live for <c>RxFeed:Symbols</c> while the run runs.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Gets the connection flags the user typed (they stay above the file when it changes).</summary>
    public IReadOnlyDictionary<string, string> GivenFlags { get; init; } = new Dictionary<string, string>();

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
        AckTimeout = AckTimeout,
        ReconcileInterval = ReconcileInterval,
        OutboundMessagesPerSecond = MaxOutgoingPerSecond,
    };
}
