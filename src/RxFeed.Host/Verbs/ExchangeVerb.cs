using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange;
using RxFeed.Exchange.Faults;
using RxFeed.Time;
using ExchangePace = RxFeed.Exchange.ReplayPace;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed exchange</c>: runs the Binance-compatible local exchange until Ctrl+C or SIGTERM.</summary>
internal static class ExchangeVerb
{
    /// <summary>Builds the verb.</summary>
    /// <returns>The <c>exchange</c> command.</returns>
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on; 0 picks a free one", DefaultValueFactory = _ => 0 };
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var replay = new Option<string[]>("--replay") { Description = "Recorded files to serve (.gz or plain), in order", AllowMultipleArgumentsPerToken = true };
        var pace = new Option<ExchangePace>("--pace") { Description = "recorded, max or Nx (10x)", DefaultValueFactory = _ => ExchangePace.Recorded, CustomParser = ParsePace };
        var noLoop = new Option<bool>("--no-loop") { Description = "Stop serving at the end of the recording instead of starting over (u keeps rising)" };
        var symbols = new Option<string>("--symbols") { Description = "Synthetic market symbols, comma-separated", DefaultValueFactory = _ => "ADAUSDT" };
        var rate = new Option<double>("--rate") { Description = "Synthetic book tickers per second per symbol", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "Random seed of the synthetic market" };
        var startAt = new Option<DateTimeOffset?>("--start-at")
        {
            Description = "The synthetic market's time zero (Unix ms or an ISO 8601 time; default: the first subscription): two exchanges with the same --seed and --start-at serve the same ticks at the same moments",
            CustomParser = ParseStartAt,
        };
        var pingInterval = DurationOption("--ping-interval", "How often each connection is pinged", TimeSpan.FromSeconds(20));
        var pongTimeout = DurationOption("--pong-timeout", "How long a ping may go unanswered", TimeSpan.FromSeconds(60));
        var maxLifetime = DurationOption("--max-lifetime", "A connection is closed after this long", TimeSpan.FromHours(24));
        var shutdownGrace = DurationOption("--shutdown-grace", "How long a connection is still served after a serverShutdown fault, before the 1001 close; 0 closes at once", TimeSpan.FromSeconds(3), allowZero: true);
        var maxIncoming = new Option<int>("--max-incoming") { Description = "Incoming messages per second per connection before a 1008 close", DefaultValueFactory = _ => 5 };
        var maxStreams = new Option<int>("--max-streams") { Description = "Streams per connection", DefaultValueFactory = _ => 1024 };
        var maxAttempts = new Option<int>("--max-connection-attempts") { Description = "Connection attempts per IP per 5 minutes before HTTP 429", DefaultValueFactory = _ => 300 };
        var sendQueue = new Option<int>("--send-queue") { Description = "Frames that may wait for a client that does not read before it is cut", DefaultValueFactory = _ => 4096 };
        var fault = new Option<string[]>("--fault") { Description = "A scripted fault '<when> <fault> [args]', e.g. \"10s drop\", \"20s bad inverted 5\" (repeatable)" };
        var faultScript = new Option<FileInfo?>("--fault-script") { Description = "A file of fault steps, one a line" };

        var command = new Command("exchange", "Run the Binance-compatible local exchange until Ctrl+C")
        {
            port, host, replay, pace, noLoop, symbols, rate, seed, pingInterval, pongTimeout, maxLifetime, shutdownGrace, maxIncoming, maxStreams, maxAttempts, sendQueue, fault, faultScript,
            startAt,
        };

        command.SetAction((result, cancellationToken) =>
        {
            var options = new ExchangeOptions
            {
                Port = result.GetValue(port),
                Host = result.GetValue(host) ?? "127.0.0.1",
                PingInterval = result.GetValue(pingInterval),
                PongTimeout = result.GetValue(pongTimeout),
                MaxLifetime = result.GetValue(maxLifetime),
                ShutdownGrace = result.GetValue(shutdownGrace),
                MaxIncomingPerSecond = result.GetValue(maxIncoming),
                MaxStreams = result.GetValue(maxStreams),
                SendQueueCapacity = result.GetValue(sendQueue),
                MaxConnectionAttempts = result.GetValue(maxAttempts),
                Market = new MarketOptions
                {
                    ReplayFiles = [.. result.GetValue(replay) ?? []],
                    Pace = result.GetValue(pace),
                    Loop = !result.GetValue(noLoop),
                    Symbols = [.. (result.GetValue(symbols) ?? "ADAUSDT").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                    Rate = result.GetValue(rate),
                    Seed = result.GetValue(seed),
                    StartAt = result.GetValue(startAt),
                },
            };
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            return RunAsync(options, result.GetValue(fault) ?? [], result.GetValue(faultScript), output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ExchangeOptions options, string[] faultSteps, FileInfo? faultScript, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        List<FaultStep> steps;
        try
        {
            options.Validate();
            steps = [.. faultSteps.Select(FaultStep.Parse)];
            if (faultScript is not null)
            {
                steps.AddRange(FaultStep.ParseScript(await File.ReadAllTextAsync(faultScript.FullName, cancellationToken).ConfigureAwait(false)));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            var message = ex is ArgumentException { ParamName: { } name } ? ex.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : ex.Message;
            await error.WriteLineAsync("rxfeed exchange: " + message).ConfigureAwait(false);
            return 2;
        }

        // Logs go to stderr: stdout carries only the `listening` line scripts wait for.
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(LogLevel.Information));

        LocalExchange exchange;
        try
        {
            exchange = await LocalExchange.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync("rxfeed exchange: cannot listen: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        // SIGTERM and Ctrl+C end the wait below; the runtime's own SIGTERM exit (143) is cancelled so the stop is graceful, exit 0.
        using var signalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using (exchange.ConfigureAwait(false))
        {
            await output.WriteLineAsync("listening " + exchange.BaseUrl).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var script = steps.Count > 0 ? exchange.Faults.RunAsync(steps, null, cancellationToken) : Task.CompletedTask;
            try
            {
                await Task.Delay(Timeout.Infinite, signalled.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: a graceful stop.
            }

            await exchange.StopAsync().ConfigureAwait(false);
            try
            {
                await script.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The script stops with the exchange.
            }
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            signalled.Cancel();
        }
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue, bool allowZero = false) => new(name)
    {
        Description = description + " (" + Duration.Format(defaultValue) + ")",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (Duration.TryParse(text, out var value) && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero)))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration such as 500ms, 2s, 1m, 24h");
            return defaultValue;
        },
    };

    private static DateTimeOffset? ParseStartAt(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 253_402_300_799_999)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        result.AddError($"--start-at: '{text}' is not Unix milliseconds or an ISO 8601 time");
        return null;
    }

    private static ExchangePace ParsePace(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (ExchangePace.TryParse(text, out var pace))
        {
            return pace;
        }

        result.AddError($"--pace: '{text}' is not recorded, max or Nx (10x)");
        return ExchangePace.Recorded;
    }
}
