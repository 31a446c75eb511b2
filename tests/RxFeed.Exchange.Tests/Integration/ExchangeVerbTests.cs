using System.CommandLine;
using System.Text;
using RxFeed.Exchange.Tests.Support;
using RxFeed.Host.Verbs;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class ExchangeVerbTests
{
    private static async Task<(Task<int> Run, SyncWriter Output, SyncWriter Error, CancellationTokenSource Stop)> StartAsync(params string[] args)
    {
        var root = new RootCommand("rxfeed") { ExchangeVerb.Create() };
        var output = new SyncWriter();
        var error = new SyncWriter();
        var stop = new CancellationTokenSource();
        var run = root.Parse(["exchange", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        await Task.Yield();
        return (run, output, error, stop);
    }

    [Fact(Timeout = 15_000)]
    public async Task Exchange_Started_PrintsListeningFirstAndStopsWithExit0()
    {
        var (run, output, _, stop) = await StartAsync("--symbols", "ADAUSDT,BTCUSDT", "--rate", "20", "--ping-interval", "500ms");
        await Exchanges.WaitUntilAsync(() => output.Text.Contains('\n'), because: "the verb prints its URL");
        var firstLine = output.Text.Split('\n')[0];
        firstLine.Should().MatchRegex(@"^listening ws://127\.0\.0\.1:\d+$");

        var url = firstLine["listening ".Length..];
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(url + "/ws/btcusdt@bookTicker"), CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Contain("\"s\":\"BTCUSDT\"");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        stop.Cancel();
        (await run).Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("--replay", "/no/such/file.gz")]
    [InlineData("--fault", "soon drop")]
    [InlineData("--fault", "1s explode")]
    public async Task Exchange_BadInput_Exit2WithOneLine(string flag, string value)
    {
        var (run, _, error, stop) = await StartAsync(flag, value);

        (await run).Should().Be(2);
        error.Text.Should().StartWith("rxfeed exchange: ");
        stop.Dispose();
    }

    [Fact]
    public void Exchange_BadDuration_IsAParseError()
    {
        var root = new RootCommand("rxfeed") { ExchangeVerb.Create() };

        var result = root.Parse(["exchange", "--ping-interval", "soon"]);

        result.Errors.Should().ContainSingle(e => e.Message.Contains("--ping-interval"));
    }

    [Theory]
    [InlineData("--shutdown-grace", "0s", true)]
    [InlineData("--shutdown-grace", "250ms", true)]
    [InlineData("--shutdown-grace", "later", false)]
    [InlineData("--shutdown-grace", "-1s", false)]
    [InlineData("--ping-interval", "0s", false)]
    public void Exchange_DurationFlag_ZeroOnlyForShutdownGrace(string flag, string value, bool valid)
    {
        var root = new RootCommand("rxfeed") { ExchangeVerb.Create() };

        var result = root.Parse(["exchange", flag, value]);

        (result.Errors.Count == 0).Should().Be(valid, string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("1767225600000", true)]
    [InlineData("2026-12-06T08:00:00Z", true)]
    [InlineData("soon", false)]
    [InlineData("-5", false)]
    public void Exchange_StartAt_UnixMillisecondsOrIsoTime(string value, bool valid)
    {
        var root = new RootCommand("rxfeed") { ExchangeVerb.Create() };

        var result = root.Parse(["exchange", "--start-at", value]);

        (result.Errors.Count == 0).Should().Be(valid, string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    [Fact(Timeout = 15_000)]
    public async Task Exchange_ShutdownFaultWithGrace_ServesThenClosesGoingAway()
    {
        var (run, output, _, stop) = await StartAsync("--rate", "50", "--shutdown-grace", "400ms", "--fault", "1s shutdown");
        await Exchanges.WaitUntilAsync(() => output.Text.Contains('\n'), because: "the verb prints its URL");
        var url = output.Text.Split('\n')[0]["listening ".Length..];
        await using var client = await TestClient.ConnectAsync(new Uri(url + "/ws/adausdt@bookTicker"));

        var (status, _, messages) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));

        status.Should().Be(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable);
        var announced = messages.FindIndex(m => m.Contains("serverShutdown", StringComparison.Ordinal));
        announced.Should().BeGreaterThanOrEqualTo(0);
        messages.Count.Should().BeGreaterThan(announced + 5, "400 ms at 50 tickers/s are served after the event");
        stop.Cancel();
        (await run).Should().Be(0);
    }

    internal sealed class SyncWriter : StringWriter
    {
        private readonly object _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }

            return Task.CompletedTask;
        }
    }
}
