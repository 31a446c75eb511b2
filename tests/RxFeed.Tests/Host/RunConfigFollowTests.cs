using System.Diagnostics;
using System.Text.Json;
using RxFeed.Exchange;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed run --config FILE</c> follows <c>RxFeed:Symbols</c> in FILE while it runs, as a process over real sockets.</summary>
public sealed class RunConfigFollowTests : TempDirectory
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_ConfigFileEdited_SubscribesTheDifferenceWithoutReconnectingAndIgnoresABadEdit()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions { Market = { Symbols = { "ADAUSDT", "BTCUSDT" }, Rate = 20 } });
        string config = Path.Combine(Dir, "rxfeed.json"), ticks = Path.Combine(Dir, "ticks.ndjson"), health = Path.Combine(Dir, "health.ndjson");
        await File.WriteAllTextAsync(config, """{ "RxFeed": { "Symbols": "ADAUSDT" } }""");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // Polling (every 4 s) instead of inotify: a shared, busy machine can run out of inotify instances, polling cannot.
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
        foreach (string arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"), "run", "--endpoint", exchange.BaseUrl + "/ws", "--config", config,
            "--json", "--ticks-out", ticks, "--health-out", health, "--duration", "120s",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await Rxfeed.WaitForLinesAsync(ticks, 3, process); // started, connected, delivering ADAUSDT

            // A bad edit: logged, ignored, and ADAUSDT keeps coming.
            await File.WriteAllTextAsync(config, """{ "RxFeed": { "Symbols": """);
            await Until(() => Stderr().Contains("config change ignored", StringComparison.Ordinal), process, "the bad edit is logged");
            int adaBefore = Lines(ticks, "ADAUSDT");
            await Until(() => Lines(ticks, "ADAUSDT") > adaBefore + 5, process, "ADAUSDT goes on after the bad edit");

            // A good edit: ADAUSDT out, BTCUSDT in, on the same connection.
            await File.WriteAllTextAsync(config, """{ "RxFeed": { "Symbols": "BTCUSDT" } }""");
            await Until(() => Lines(ticks, "BTCUSDT") > 3, process, "BTCUSDT ticks after the edit");
            await Until(() => Lines(health, "\"s\":\"ADAUSDT\",\"state\":\"Removed\"") == 1, process, "ADAUSDT ends with Removed");
        }
        finally
        {
            using Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        process.ExitCode.Should().Be(0, Stderr());
        using JsonDocument summary = JsonDocument.Parse(await stdout);
        summary.RootElement.GetProperty("connections").GetInt64().Should().Be(1, "symbols are changed on the running connection");
        summary.RootElement.GetProperty("reconnects").GetInt64().Should().Be(0);
        summary.RootElement.TryGetProperty("reconciled", out _).Should().BeTrue();
        string[] adaStates = [.. File.ReadAllLines(health)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("s").GetString() == "ADAUSDT")
            .Select(e => e.GetProperty("state").GetString()!)];
        adaStates[^1].Should().Be("Removed", "Removed is the symbol's last health line");

        string Stderr()
        {
            lock (stderr)
            {
                return string.Join('\n', stderr);
            }
        }
    }

    private static int Lines(string path, string containing)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        int n = 0;
        while (reader.ReadLine() is { } line)
        {
            n += line.Contains(containing, StringComparison.Ordinal) ? 1 : 0;
        }

        return n;
    }

    private static async Task Until(Func<bool> condition, Process process, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            process.HasExited.Should().BeFalse("the run must still be running while waiting: " + what);
            clock.Elapsed.Should().BeLessThan(Bound, what);
            await Task.Delay(50);
        }
    }
}
