using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RxFeed.Health;

namespace RxFeed.Hosting;

/// <summary>
/// A health check (Microsoft.Extensions.Diagnostics.HealthChecks) over a feed's per-symbol health: Healthy while every
/// symbol is <see cref="FeedState.Live"/>, Degraded while some are, and the registration's failure status (Unhealthy by
/// default) when none is — a symbol never heard of yet counts as <see cref="FeedState.Connecting"/>. Each symbol's state,
/// reason and time are in the result's data under its name.
/// </summary>
public sealed class RxFeedHealthCheck : IHealthCheck, IDisposable
{
    private readonly ConcurrentDictionary<string, HealthChange> _latest = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    /// <summary>
    /// Initializes a new instance of the <see cref="RxFeedHealthCheck"/> class, following <paramref name="health"/> at once
    /// so the first check already knows every change since.
    /// </summary>
    /// <param name="health">The feed's health changes (the client's <see cref="RxFeedClient.Health"/>, or the host's).</param>
    /// <param name="symbols">Symbols that must be Live for Healthy even before their first change arrives.</param>
    public RxFeedHealthCheck(IObservable<HealthChange> health, IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(symbols);
        foreach (string symbol in symbols)
        {
            string s = symbol.ToUpperInvariant();
            _latest.TryAdd(s, new HealthChange(s, FeedState.Connecting, "no data yet", 0));
        }

        _subscription = health.Subscribe(h => _latest[h.Symbol] = h, _ => { }, () => { });
    }

    /// <summary>Gets the latest change of every symbol.</summary>
    public IReadOnlyCollection<HealthChange> Symbols => [.. _latest.Values.OrderBy(h => h.Symbol, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failure = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        IReadOnlyCollection<HealthChange> symbols = Symbols;
        int live = symbols.Count(h => h.State == FeedState.Live);
        var data = symbols.ToDictionary(h => h.Symbol, h => (object)new HealthCheckSymbol(h.State.ToString(), h.Reason, h.TsNs), StringComparer.Ordinal);
        HealthCheckResult result = symbols.Count == 0 ? new HealthCheckResult(failure, "no symbol", data: data)
            : live == symbols.Count ? HealthCheckResult.Healthy($"{live} of {symbols.Count} symbols Live", data)
            : live > 0 ? HealthCheckResult.Degraded($"{live} of {symbols.Count} symbols Live: " + NotLive(symbols), data: data)
            : new HealthCheckResult(failure, "no symbol Live: " + NotLive(symbols), data: data);
        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    public void Dispose() => _subscription.Dispose();

    private static string NotLive(IEnumerable<HealthChange> symbols) =>
        string.Join(", ", symbols.Where(h => h.State != FeedState.Live).Select(h => $"{h.Symbol} {h.State}"));
}
