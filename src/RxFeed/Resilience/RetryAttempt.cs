namespace RxFeed.Resilience;

/// <summary>
/// One retry that <c>RetryWithBackoff</c> scheduled: reported when the error arrives, before the delay, so the
/// connection layer can count reconnects and mark health Recovering.
/// </summary>
/// <param name="Attempt">The 1-based number of this consecutive retry (1 after a reset).</param>
/// <param name="Delay">How long until the resubscription.</param>
/// <param name="Error">The error that ended the subscription.</param>
/// <param name="FailedAt">When the error arrived (scheduler time).</param>
/// <param name="Uptime">How long the failed subscription lasted.</param>
public sealed record RetryAttempt(int Attempt, TimeSpan Delay, Exception Error, DateTimeOffset FailedAt, TimeSpan Uptime);
