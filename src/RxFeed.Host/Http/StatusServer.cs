using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RxFeed.Diagnostics;
using RxFeed.Hosting;

namespace RxFeed.Host.Http;

/// <summary>
/// <c>run --http ADDRESS:PORT</c>: <c>/healthz</c> answers the run's <see cref="RxFeedHealthCheck"/> as JSON (200 while
/// Healthy or Degraded, 503 when Unhealthy, so a load balancer or Kubernetes probe can act on the code alone), and
/// <c>/metrics</c> the <c>RxFeed</c> meter in Prometheus' text format through OpenTelemetry's exporter.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the address it listens on (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    public static async Task<StatusServer> StartAsync(IPEndPoint endpoint, RxFeedHealthCheck check, CancellationToken cancel)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("rxfeed")).WithMetrics(m => m.AddMeter(RxFeedMeters.MeterName).AddPrometheusExporter());
        WebApplication app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        var registration = new HealthCheckRegistration("rxfeed", check, HealthStatus.Unhealthy, null);
        app.MapGet("/healthz", async (HttpContext http) =>
        {
            HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = result.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            http.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(http.Response.Body);
            WriteHealth(json, result);
            await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(cancel).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StatusServer(app, new Uri(bound));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary><c>{"status":"Healthy","description":"…","symbols":{"ADAUSDT":{"state":"Live","reason":"…","ts":…}}}</c>.</summary>
    private static void WriteHealth(Utf8JsonWriter json, HealthCheckResult result)
    {
        json.WriteStartObject();
        json.WriteString("status", result.Status.ToString());
        json.WriteString("description", result.Description);
        json.WriteStartObject("symbols");
        foreach ((string symbol, object value) in result.Data)
        {
            if (value is HealthCheckSymbol s)
            {
                json.WriteStartObject(symbol);
                json.WriteString("state", s.State);
                json.WriteString("reason", s.Reason);
                json.WriteNumber("ts", s.TsNs);
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
