namespace RxFeed.Exchange.Faults;

/// <summary>Runs fault steps at their times (wall clock, from the call), for the host and demos.</summary>
public static class FaultScheduler
{
    /// <summary>Applies each step when its time comes; ends after the last one or on cancellation.</summary>
    /// <param name="faults">The exchange's faults.</param>
    /// <param name="steps">The steps.</param>
    /// <param name="timeProvider">The clock (the system's when null).</param>
    /// <param name="cancellationToken">Stops the script.</param>
    /// <returns>A task that ends with the script.</returns>
    public static async Task RunAsync(this ExchangeFaults faults, IEnumerable<FaultStep> steps, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(steps);
        var clock = timeProvider ?? TimeProvider.System;
        var start = clock.GetTimestamp();
        foreach (var step in steps.OrderBy(s => s.At))
        {
            var wait = step.At - clock.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }

            step.ApplyTo(faults);
        }
    }
}
