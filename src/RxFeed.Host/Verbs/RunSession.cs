using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Host.Dashboard;
using RxFeed.Host.Output;
using RxFeed.Time;

namespace RxFeed.Host.Verbs;

/// <summary>One <c>rxfeed run</c>: connection → pipeline → outputs, until the duration passes or Ctrl+C / SIGTERM.</summary>
internal static class RunSession
{
    public static async Task<int> RunAsync(RunSettings settings, CancellationToken cancel)
    {
        // Ctrl+C and SIGTERM end the run gracefully (files flushed, summary printed, exit 0) whatever the parser does.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunUntilStoppedAsync(settings, stopping.Token).ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    private static async Task<int> RunUntilStoppedAsync(RunSettings settings, CancellationToken cancel)
    {
        await using EmbeddedExchange? exchange = settings.Endpoint is null
            ? await EmbeddedExchange.StartAsync(settings.Symbols, cancel).ConfigureAwait(false)
            : null;
        Uri endpoint = settings.Endpoint ?? exchange!.Endpoint;
        if (exchange is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed run: no endpoint configured, using the embedded local exchange at {endpoint}").ConfigureAwait(false);
        }

        IScheduler scheduler = DefaultScheduler.Instance;
        bool interactive = !settings.Json && !Console.IsOutputRedirected;

        // Logs go to stderr; under the dashboard only warnings, so the table stays readable.
        using ILoggerFactory logs = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("RxFeed", interactive ? LogLevel.Warning : LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        var connection = new FeedConnection(settings.ToConnectionOptions(endpoint), logger: logs.CreateLogger<FeedConnection>(), scheduler: scheduler);
        var counters = new FeedCounters();
        var outputs = new RunOutputs(settings);
        var gate = new object();
        bool stopped = false;
        long frames = 0;
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

        // One gate for the whole chain: frames arrive on socket threads, and a graceful stop must not race a write.
        IObservable<string> received = connection.Frames
            .Synchronize(gate)
            .Where(_ => !stopped)
            .Do(frame =>
            {
                frames++;
                outputs.Record(scheduler.NowUnixNanoseconds(), frame);
            })

            // A terminal failure (max reconnect attempts spent) ends the run with exit 1; downstream sees a completion,
            // so no subscriber without an error handler rethrows it on a socket thread.
            .Catch<string, Exception>(error =>
            {
                failed.TrySetResult(error);
                return Observable.Empty<string>();
            });

        // One parse feeds the ticks output and the quoting session (health, quotes, paper orders).
        IConnectableObservable<BookTicker> delivered = received.ToBookTickers(counters, settings.MaxFrameBytes, scheduler).Publish();
        using QuotingRun quoting = QuotingRun.Start(delivered, settings.Quoting, scheduler, connection.Links);

        // On an interactive terminal, a live per-symbol dashboard; never with --json or redirected output.
        using RunDashboard? dashboard = !interactive
            ? null
            : new RunDashboard(settings.Symbols, quoting.Session, connection, counters);
        IDisposable ticks = delivered.Subscribe(
            t =>
            {
                if (RxFeedMeters.Latency.Enabled)
                {
                    // Parse-time receive stamp to delivery at the outputs, in microseconds.
                    RxFeedMeters.Latency.Record((scheduler.NowUnixNanoseconds() - t.ReceivedNs) / 1000.0);
                }

                outputs.Tick(t);
                dashboard?.OnTick(t);
            },
            error => failed.TrySetResult(error));
        IDisposable subscription = delivered.Connect();
        using var stopDashboard = new CancellationTokenSource();
        Task rendering = dashboard?.RunAsync(stopDashboard.Token) ?? Task.CompletedTask;

        Exception? failure = null;
        try
        {
            Task stop = settings.Duration is { } d ? Task.Delay(d, cancel) : Task.Delay(Timeout.Infinite, cancel);
            Task first = await Task.WhenAny(stop, failed.Task).ConfigureAwait(false);
            failure = first == failed.Task ? failed.Task.Result : null;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C / SIGTERM: a graceful stop.
        }
        finally
        {
            lock (gate)
            {
                stopped = true;
            }

            subscription.Dispose();
            ticks.Dispose();

            // The order manager cancels what it holds, then every file is flushed.
            quoting.Stop();
            outputs.Dispose();
            await stopDashboard.CancelAsync().ConfigureAwait(false);
            await rendering.ConfigureAwait(false);
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed run: {failure.Message}").ConfigureAwait(false);
            return 1;
        }

        FeedCountsSnapshot counts = counters.Snapshot();
        FeedConnectionCounters c = connection.Counters;
        if (settings.Json)
        {
            SummaryJson.Write(Console.OpenStandardOutput(), frames, counts, json =>
            {
                json.WriteNumber("connections", c.ConnectionsOpened);
                quoting.WriteSummary(json);
                json.WriteNumber("reconnects", c.Reconnects);
                json.WriteNumber("rollovers", c.Rollovers);
                json.WriteNumber("resubscribeMismatches", c.ResubscribeMismatches);
                json.WriteNumber("budgetWaits", c.BudgetWaits);
                json.WriteNumber("attemptWaits", connection.AttemptWaits);
            });
        }
        else
        {
            Console.Out.WriteLine(
                $"{frames} frames: {counts.BookTickers} book tickers ({counts.Inverted} inverted), {counts.Invalid} invalid, " +
                $"{counts.Malformed} malformed, {counts.OutOfOrder} out of order, {counts.Other} other, {counts.Control} control; " +
                $"{c.ConnectionsOpened} connections, {c.Reconnects} reconnects, {c.Rollovers} rollovers");
            Console.Out.WriteLine(quoting.Describe());
        }

        return 0;
    }

    /// <summary>The run's files; every write happens under the run's gate, so no lock here.</summary>
    private sealed class RunOutputs : IDisposable
    {
        private readonly NdjsonWriter? _ticks;
        private readonly StreamWriter? _record;

        public RunOutputs(RunSettings settings)
        {
            _ticks = settings.TicksOut is null ? null : new NdjsonWriter(settings.TicksOut);
            _record = settings.Record is null ? null : new StreamWriter(settings.Record, false, new UTF8Encoding(false), 1 << 16);
        }

        public void Record(long receivedNs, string frame)
        {
            if (_record is null)
            {
                return;
            }

            _record.Write(receivedNs);
            _record.Write(' ');
            _record.Write(frame);
            _record.Write('\n');
        }

        public void Tick(BookTicker tick) => _ticks?.WriteLine(w => SummaryJson.WriteTick(w, tick));

        public void Dispose()
        {
            _ticks?.Dispose();
            _record?.Dispose();
        }
    }
}
