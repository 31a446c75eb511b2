using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed run --http</c> as a process: /healthz as JSON with the status code a probe acts on, /metrics in Prometheus text.</summary>
public sealed partial class HttpEndpointTests
{
    [Fact]
    public async Task Run_Http_ServesHealthzAndPrometheusMetrics()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "rxfeed.dll"), "run", "--json", "--http", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        using var hung = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Uri address = await ServingAddress(process, hung.Token);
            using var http = new HttpClient { BaseAddress = address };

            // Healthy once the first tick made the symbol Live; before that 503 (nothing Live yet).
            HttpResponseMessage health;
            while (true)
            {
                health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), hung.Token);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                await Task.Delay(50, hung.Token);
            }

            health.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            using JsonDocument body = JsonDocument.Parse(await health.Content.ReadAsStringAsync(hung.Token));
            body.RootElement.GetProperty("status").GetString().Should().Be("Healthy");
            JsonElement ada = body.RootElement.GetProperty("symbols").GetProperty("ADAUSDT");
            ada.GetProperty("state").GetString().Should().Be("Live");
            ada.GetProperty("ts").GetInt64().Should().BePositive();

            string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), hung.Token);
            metrics.Should().Contain("# TYPE rxfeed_frames_total counter");
            Match tickers = BookTickerFrames().Match(metrics);
            tickers.Success.Should().BeTrue(metrics);
            long.Parse(tickers.Groups[1].Value, CultureInfo.InvariantCulture).Should().BePositive();
            metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Should().OnlyContain(l => SampleLine().IsMatch(l), "every sample is `name{labels} value`");
        }
        finally
        {
            using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync(hung.Token);
        }

        process.ExitCode.Should().Be(0);
        JsonDocument.Parse(await stdout).RootElement.GetProperty("bookTickers").GetInt64().Should().BePositive();
    }

    private static async Task<Uri> ServingAddress(Process process, CancellationToken cancel)
    {
        while (await process.StandardError.ReadLineAsync(cancel) is { } line)
        {
            Match m = Serving().Match(line);
            if (m.Success)
            {
                // Keep draining stderr so the host never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(m.Groups[1].Value);
            }
        }

        throw new InvalidOperationException("rxfeed run exited without serving /healthz");
    }

    [GeneratedRegex(@"serving /healthz and /metrics at (http://\S+)")]
    private static partial Regex Serving();

    [GeneratedRegex(@"^rxfeed_frames_total\{[^}]*class=""bookTicker""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex BookTickerFrames();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.eE+\-]+(Inf)?( \d+)?$")]
    private static partial Regex SampleLine();
}
