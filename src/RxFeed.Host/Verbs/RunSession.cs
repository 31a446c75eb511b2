using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Host.Dashboard;
using RxFeed.Host.Http;
using RxFeed.Host.Output;
using RxFeed.Hosting;
using RxFeed.Output;
using RxFeed.Replay;
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
        await using EmbeddedExchange? exchange = settings.Endpoint is null && settings.Source is null
            ? await EmbeddedExchange.StartAsync(settings.Symbols, cancel).ConfigureAwait(false)
            : null;
        Uri endpoint = settings.Endpoint ?? exchange?.Endpoint ?? new Uri("ws://127.0.0.1/unused");
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

        // Several endpoints (hedged or failover): one connection each, merged by first arrival; else the one connection.
        using RedundantFeed? redundant = settings.Endpoints.Count > 1 && settings.EndpointMode != EndpointMode.Single && settings.Source is null
            ? new RedundantFeed([.. settings.Endpoints.Select(settings.ToConnectionOptions)], settings.EndpointMode, settings.FailbackAfter, logger: logs.CreateLogger<FeedConnection>(), scheduler: scheduler)
            : null;
        FeedConnection connection = redundant?.Connections[0]
            ?? new FeedConnection(settings.ToConnectionOptions(endpoint), logger: logs.CreateLogger<FeedConnection>(), scheduler: scheduler);

        // --source nats://…: the ticks come from RxFeed publishers over NATS instead of a socket (same contract, same counters).
        await using RxFeed.Nats.NatsFeed? natsSource = settings.Source is { } sourceOptions ? RxFeed.Nats.NatsFeed.Create(sourceOptions, logs, scheduler) : null;
        FeedCounters counters = natsSource?.Counters ?? new FeedCounters();
        var conflated = new ConflationCounts<string>();
        var latency = new LatencyHistogram();
        using EventLoopScheduler pipeline = PipelineThread.Create();
        using EventLoopScheduler quotingThread = PipelineThread.Create("rxfeed-quoting");
        using var outputs = new RunOutputs(settings);
        long frames = 0, deliveredTicks = 0, firstReceiveNs = 0, lastReceiveNs = 0, lastTickDoneNs = 0;
        var reachedMaxTicks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The socket threads only stamp and queue each frame (FeedConnection.ReceivedFrames); from there on everything runs
        // on the pipeline thread: the raw recording, parse + validate + order gate, the ticks file, the dashboard's sample.
        IObservable<BookTicker> fromSocket = redundant is null
            ? connection.ReceivedFrames(pipeline)
                .Do(OnFrame)

                // A terminal failure (max reconnect attempts spent) ends the run with exit 1; downstream sees a completion.
                .Catch<ReceivedFrame, Exception>(error =>
                {
                    failed.TrySetResult(error);
                    return Observable.Empty<ReceivedFrame>();
                })
                .ToBookTickers(counters, settings.MaxFrameBytes)

            // Redundant: the merge fails only once every endpoint has spent its reconnect attempts.
            : redundant.BookTickers(pipeline, counters, settings.MaxFrameBytes, (_, frame) => OnFrame(frame))
                .Catch<BookTicker, Exception>(error =>
                {
                    failed.TrySetResult(error);
                    return Observable.Empty<BookTicker>();
                });
        IConnectableObservable<BookTicker> delivered = (natsSource is null ? fromSocket : natsSource.BookTickers.ObserveOn(pipeline).Do(_ => frames++)).Publish();

        // Health, the quote engine and the orders only need the latest tick of a symbol: they run on a thread of their own
        // behind Conflate, so a slow order call or disk makes them skip to the newest tick instead of holding the feed.
        IObservable<BookTicker> decided = Observable.Create<BookTicker>(observer => delivered
            .Conflate(t => t.Symbol, quotingThread, conflated)
            .Subscribe(
                tick =>
                {
                    observer.OnNext(tick); // the quote decision, and the order manager's reaction to it
                    long nanos = scheduler.NowUnixNanoseconds() - tick.ReceivedNs;
                    latency.Record(nanos);
                    if (RxFeedMeters.Latency.Enabled)
                    {
                        RxFeedMeters.Latency.Record(nanos / 1000.0);
                    }
                },
                observer.OnError,
                observer.OnCompleted));

        // Link events are raised on socket and timer threads, some inside ShardRunner's lock: the session takes them on the
        // quoting thread too, so a disconnect's cancels and order calls never run on the connection's side.
        // Symbols removed by a config edit end on the quoting thread first (Removed: quotes pulled, orders cancelled), then
        // are unsubscribed: the host's own Removed events join the links there, after the hop.
        using var removals = new Subject<LinkEvent>();
        IObservable<LinkEvent> links = (natsSource?.Links ?? redundant?.Links ?? connection.Links).ObserveOn(quotingThread).Merge(removals);
        using QuotingRun quoting = QuotingRun.Start(decided, settings.Quoting, scheduler, links, OutputOverflow.Drop);

        // A terminal shows a live table; redirected output without --json gets plain status lines every 2 s.
        using RunDashboard? dashboard = settings.Json ? null : new RunDashboard(settings.Symbols, quoting.Session, connection, counters, redundant?.Race);

        // --config FILE is followed live on one socket feed; with several endpoints the symbol set stays as started.
        using SymbolFollower? follower = settings.ConfigFile is null || natsSource is not null || redundant is not null ? null : new SymbolFollower(
            settings.ConfigFile,
            settings.GivenFlags,
            connection,
            removed => OnThreadAsync(quotingThread, () => removals.OnNext(new LinkEvent(LinkState.Removed, "removed from the configuration", removed, scheduler.NowUnixNanoseconds()))),
            (added, removed) => dashboard?.SymbolsChanged(added, removed),
            logs.CreateLogger("RxFeed.Host.SymbolFollower"));
        IDisposable ticks = delivered.Subscribe(
            t =>
            {
                outputs.Tick(t);
                dashboard?.OnTick(t);
                lastTickDoneNs = scheduler.NowUnixNanoseconds();
                if (++deliveredTicks == settings.MaxTicks)
                {
                    reachedMaxTicks.TrySetResult(); // the stop is queued behind this tick on the pipeline thread
                }
            },
            error => failed.TrySetResult(error));

        // --publish: one more subscriber of the delivered ticks and the session's health. It only enqueues on this thread;
        // serializing and sending run on the publisher's own task, so NATS never costs the pipeline more than a queue write.
        await using RxFeed.Nats.NatsPublisher? publisher = settings.Publish is { } nats
            ? await RxFeed.Nats.NatsPublisher.StartAsync(nats, delivered, quoting.Session.Health, logs, cancel).ConfigureAwait(false)
            : null;

        // --http: /healthz and /metrics; the check follows the session's health from before the first tick.
        using RxFeedHealthCheck? check = settings.Http is null ? null : new RxFeedHealthCheck(quoting.Session.Health, settings.Symbols);
        await using StatusServer? http = settings.Http is { } httpEndpoint ? await StatusServer.StartAsync(httpEndpoint, check!, cancel).ConfigureAwait(false) : null;
        if (http is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed run: serving /healthz and /metrics at {http.Address}").ConfigureAwait(false);
        }

        IDisposable subscription = delivered.Connect();
        using var stopDashboard = new CancellationTokenSource();
        Task rendering = dashboard is null ? Task.CompletedTask
            : interactive ? dashboard.RunAsync(stopDashboard.Token)
            : dashboard.RunPlainAsync(Console.Out, TimeSpan.FromSeconds(2), stopDashboard.Token);

        Exception? failure = null;
        try
        {
            Task stop = settings.Duration is { } d ? Task.Delay(d, cancel) : Task.Delay(Timeout.Infinite, cancel);
            Task first = await Task.WhenAny(stop, failed.Task, reachedMaxTicks.Task).ConfigureAwait(false);
            failure = first == failed.Task ? failed.Task.Result : null;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C / SIGTERM: a graceful stop.
        }
        finally
        {
            // Each thread is stopped on itself, between two items, so nothing is half-way through when the files close:
            // first the feed (no more frames or ticks), then quoting (the order manager cancels what it holds).
            await OnThreadAsync(pipeline, () =>
            {
                subscription.Dispose();
                ticks.Dispose();
            }).ConfigureAwait(false);
            await OnThreadAsync(quotingThread, () => quoting.Stop()).ConfigureAwait(false);
            outputs.Dispose();
            await stopDashboard.CancelAsync().ConfigureAwait(false);
            await rendering.ConfigureAwait(false);
        }

        long outputDrops = outputs.Drops + quoting.OutputDrops;
        if (outputDrops > 0)
        {
            await Console.Error.WriteLineAsync($"rxfeed run: warning: {outputDrops} output lines dropped: the disk could not keep up").ConfigureAwait(false);
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed run: {failure.Message}").ConfigureAwait(false);
            return 1;
        }

        FeedCountsSnapshot counts = redundant is null ? counters.Snapshot() : EndpointSummary.Counts(counters, redundant);
        IReadOnlyList<FeedConnection> all = redundant?.Connections ?? [connection];
        if (settings.Json)
        {
            SummaryJson.Write(Console.OpenStandardOutput(), frames, counts, json =>
            {
                json.WriteNumber("connections", all.Sum(x => x.Counters.ConnectionsOpened));
                quoting.WriteSummary(json);
                json.WriteNumber("reconnects", all.Sum(x => x.Counters.Reconnects));
                json.WriteNumber("rollovers", all.Sum(x => x.Counters.Rollovers));
                json.WriteNumber("resubscribeMismatches", all.Sum(x => x.Counters.ResubscribeMismatches));
                json.WriteNumber("budgetWaits", all.Sum(x => x.Counters.BudgetWaits));
                json.WriteNumber("attemptWaits", connection.AttemptWaits);
                if (redundant is not null)
                {
                    EndpointSummary.Write(json, redundant);
                }

                json.WriteNumber("reconciled", all.Sum(x => x.Counters.Reconciled));
                json.WriteNumber("ackTimeouts", all.Sum(x => x.Counters.AckTimeouts));
                json.WriteNumber("conflated", conflated.Total);
                json.WriteNumber("outputDrops", outputDrops);
                json.WriteStartObject("latencyUs");
                json.WriteNumber("p50", latency.Percentile(0.5) / 1000.0);
                json.WriteNumber("p99", latency.Percentile(0.99) / 1000.0);
                json.WriteNumber("max", latency.Max / 1000.0);
                json.WriteEndObject();

                // The feed's windows, for frame rates: frames / receiveSeconds is what the socket side took in,
                // bookTickers / pipelineSeconds what the pipeline got through (first receive stamp → last tick handled).
                json.WriteNumber("receiveSeconds", Math.Max(0, lastReceiveNs - firstReceiveNs) / 1e9);
                json.WriteNumber("pipelineSeconds", Math.Max(0, lastTickDoneNs - firstReceiveNs) / 1e9);
                if (publisher is not null)
                {
                    json.WriteStartObject("nats");
                    json.WriteNumber("published", publisher.Published);
                    json.WriteNumber("dropped", publisher.Dropped);
                    json.WriteNumber("failed", publisher.Failed);
                    json.WriteEndObject();
                }
            });
        }
        else
        {
            Console.Out.WriteLine(
                $"{frames} frames: {counts.BookTickers} book tickers ({counts.Inverted} inverted), {counts.Invalid} invalid, " +
                $"{counts.Malformed} malformed, {counts.OutOfOrder} out of order, {counts.Other} other, {counts.Control} control; " +
                $"{all.Sum(x => x.Counters.ConnectionsOpened)} connections, {all.Sum(x => x.Counters.Reconnects)} reconnects, {all.Sum(x => x.Counters.Rollovers)} rollovers");
            if (redundant is not null)
            {
                foreach (string line in EndpointSummary.Lines(redundant))
                {
                    Console.Out.WriteLine(line);
                }
            }

            Console.Out.WriteLine(quoting.Describe());
        }

        return 0;

        void OnFrame(ReceivedFrame frame)
        {
            frames++;
            firstReceiveNs = frames == 1 ? frame.ReceivedNs : firstReceiveNs;
            lastReceiveNs = frame.ReceivedNs;
            outputs.Record(frame);
        }
    }

    private static Task OnThreadAsync(IScheduler thread, Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        thread.Schedule(() =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>The run's feed files, each written from its own queue off the pipeline thread.</summary>
    private sealed class RunOutputs : IDisposable
    {
        private readonly OutputWriter<BookTicker>? _ticks;
        private readonly OutputWriter<ReceivedFrame>? _record;

        public RunOutputs(RunSettings settings)
        {
            _ticks = settings.TicksOut is null ? null : OutputWriter.Open<BookTicker>(settings.TicksOut, TickLines.Write);
            _record = settings.Record is null ? null : RecordingWriter.Create(settings.Record);
        }

        public long Drops => (_ticks?.Drops ?? 0) + (_record?.Drops ?? 0);

        public void Record(in ReceivedFrame frame) => _record?.OnNext(frame);

        public void Tick(in BookTicker tick) => _ticks?.OnNext(tick);

        public void Dispose()
        {
            _ticks?.Dispose();
            _record?.Dispose();
        }
    }
}
