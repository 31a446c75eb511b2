namespace RxFeed.Resilience;

/// <summary>
/// How <c>RetryWithBackoff</c> waits between resubscriptions: attempt n waits
/// <c>jitter × min(MaxDelay, InitialDelay × Multiplier^(n−1))</c> (full jitter), and the attempt count starts again
/// after the source has been up for <see cref="ResetAfter"/>. Bind it from configuration; call <see cref="Validate"/>.
/// </summary>
public sealed class BackoffPolicy
{
    /// <summary>Gets or sets the delay cap of the first retry. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest delay cap. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the growth of the delay cap per consecutive failure. Default 2.</summary>
    public double Multiplier { get; set; } = 2;

    /// <summary>Gets or sets how long a subscription must last without error for the attempt count to start again. Default 60 s.</summary>
    public TimeSpan ResetAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how many consecutive retries are made before the error passes through; 0 retries forever. Default 0.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>
    /// Gets or sets the jitter source: each call returns the factor in [0, 1] applied to the delay cap. Default (null):
    /// uniform random (full jitter). Inject a fixed sequence to make tests deterministic.
    /// </summary>
    public Func<double>? Jitter { get; set; }

    /// <summary>Gets or sets which errors are retried; default (null) retries every error. Others pass through at once.</summary>
    public Func<Exception, bool>? ShouldRetry { get; set; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(InitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(MaxDelay));
        if (double.IsNaN(Multiplier) || double.IsInfinity(Multiplier) || Multiplier < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "Multiplier must be a finite number of at least 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ResetAfter, TimeSpan.Zero, nameof(ResetAfter));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxAttempts, nameof(MaxAttempts));
    }

    /// <summary>The delay cap of the n-th consecutive retry, before jitter: <c>min(MaxDelay, InitialDelay × Multiplier^(n−1))</c>.</summary>
    /// <param name="attempt">The 1-based retry number.</param>
    /// <returns>The cap.</returns>
    public TimeSpan CapFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        double ticks = InitialDelay.Ticks * Math.Pow(Multiplier, attempt - 1);
        return ticks >= MaxDelay.Ticks || double.IsNaN(ticks) ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay of the n-th consecutive retry for a jitter factor: <c>jitter × CapFor(n)</c>, truncated to ticks.</summary>
    /// <param name="attempt">The 1-based retry number.</param>
    /// <param name="jitter">The factor in [0, 1].</param>
    /// <returns>The delay.</returns>
    public TimeSpan DelayFor(int attempt, double jitter)
    {
        if (double.IsNaN(jitter) || jitter < 0 || jitter > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must be in [0, 1].");
        }

        return TimeSpan.FromTicks((long)(CapFor(attempt).Ticks * jitter));
    }
}
