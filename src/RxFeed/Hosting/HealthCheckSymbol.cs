namespace RxFeed.Hosting;

/// <summary>One symbol's entry in <see cref="RxFeedHealthCheck"/>'s result data.</summary>
/// <param name="State">Its <see cref="Health.FeedState"/> by name.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="TsNs">When it changed, Unix nanoseconds (0: not yet).</param>
public sealed record HealthCheckSymbol(string State, string Reason, long TsNs);
