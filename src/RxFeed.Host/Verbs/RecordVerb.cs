using System.CommandLine;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RxFeed.Connection;
using RxFeed.Host.Cli;
using RxFeed.Output;
using RxFeed.Replay;
using RxFeed.Time;

namespace RxFeed.Host.Verbs;

/// <summary><c>rxfeed record FILE</c>: connect like <c>run</c> and write raw frames in the replay format until the duration or Ctrl+C.</summary>
internal static class RecordVerb
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Where to write `<receive ns> <frame>` lines (gzip when it ends in .gz); replay it with `rxfeed replay FILE`." };
        file.Validators.Add(result =>
        {
            FileInfo? target = result.GetValueOrDefault<FileInfo>();
            if (target is { Directory: { Exists: false } directory })
            {
                result.AddError($"FILE: directory '{directory.FullName}' does not exist");
            }
            else if (target is not null && Directory.Exists(target.FullName))
            {
                result.AddError($"FILE: '{target.FullName}' is a directory");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout when done." };
        var maxFrames = CliOptions.NonNegativeInt("--max-frames", 0, "Stop after this many frames, 0 for no limit (with --duration: whichever comes first)");
        var command = new Command("record", "Connect (as `run` does; offline: the embedded local exchange) and record raw frames in the replay format.")
        {
            file, json, maxFrames,
        };
        var flags = new ConnectionFlags();
        flags.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            RunConnectionSettings settings;
            try
            {
                settings = flags.Resolve(parse);
            }
            catch (ConfigurationException ex)
            {
                await Console.Error.WriteLineAsync("rxfeed record: " + ex.Message).ConfigureAwait(false);
                return Program.UsageError;
            }

            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return await RecordAsync(settings, parse.GetValue(file)!.FullName, parse.GetValue(json), parse.GetValue(maxFrames), stopping.Token).ConfigureAwait(false);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stopping.Cancel();
            }
        });
        return command;
    }

    private static async Task<int> RecordAsync(RunConnectionSettings settings, string path, bool json, long maxFrames, CancellationToken cancel)
    {
        await using EmbeddedExchange? exchange = settings.Endpoint is null
            ? await EmbeddedExchange.StartAsync(settings.Symbols, cancel).ConfigureAwait(false)
            : null;
        Uri endpoint = settings.Endpoint ?? exchange!.Endpoint;
        if (exchange is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed record: no endpoint configured, using the embedded local exchange at {endpoint}").ConfigureAwait(false);
        }

        using ILoggerFactory logs = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("RxFeed", LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        IScheduler scheduler = DefaultScheduler.Instance;
        var connection = new FeedConnection(settings.ToConnectionOptions(endpoint), logger: logs.CreateLogger<FeedConnection>(), scheduler: scheduler);
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using EventLoopScheduler pipeline = PipelineThread.Create();
        using OutputWriter<ReceivedFrame> writer = RecordingWriter.Create(path);

        // The socket threads stamp and queue each frame; the file is written from its own queue, never on a socket thread.
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long frames = 0;
        IDisposable subscription = connection.ReceivedFrames(pipeline).Subscribe(
            frame =>
            {
                writer.OnNext(frame);
                if (++frames == maxFrames)
                {
                    enough.TrySetResult();
                }
            },
            error => failed.TrySetResult(error));

        Exception? failure = null;
        try
        {
            Task stop = settings.Duration is { } d ? Task.Delay(d, cancel) : Task.Delay(Timeout.Infinite, cancel);
            Task first = await Task.WhenAny(stop, failed.Task, enough.Task).ConfigureAwait(false);
            failure = first == failed.Task ? failed.Task.Result : null;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C / SIGTERM: a graceful stop; the file is flushed.
        }
        finally
        {
            // Stopped on the pipeline thread itself, between two frames, so the file ends with a whole line.
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pipeline.Schedule(() =>
            {
                subscription.Dispose();
                stopped.SetResult();
            });
            await stopped.Task.ConfigureAwait(false);
            writer.Dispose();
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed record: {failure.Message}").ConfigureAwait(false);
            return 1;
        }

        FeedConnectionCounters c = connection.Counters;
        if (json)
        {
            using var output = new Utf8JsonWriter(Console.OpenStandardOutput());
            output.WriteStartObject();
            output.WriteNumber("lines", writer.Lines);
            output.WriteNumber("outputDrops", writer.Drops);
            output.WriteNumber("connections", c.ConnectionsOpened);
            output.WriteNumber("reconnects", c.Reconnects);
            output.WriteEndObject();
            output.Flush();
            Console.Out.WriteLine();
        }
        else
        {
            Console.Out.WriteLine($"{writer.Lines} frames recorded to {path} ({writer.Drops} dropped: the disk could not keep up); {c.ConnectionsOpened} connections, {c.Reconnects} reconnects");
        }

        return 0;
    }
}
