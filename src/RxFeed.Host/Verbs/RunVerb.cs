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

        var command = new Command("run", "Stream live book tickers through the self-healing connection (offline: the embedded local exchange).")
        {
            json, ticksOut, record, maxTicks,
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
            try
            {
                connection = flags.Resolve(parse);
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
                MaxTicks = parse.GetValue(maxTicks),
                Quoting = outputs,
            };
            return await RunSession.RunAsync(settings, cancel).ConfigureAwait(false);
        });
        return command;
    }
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

    /// <summary>Gets the number of delivered book tickers after which the run stops by itself (0: no limit).</summary>
    public long MaxTicks { get; init; }

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
