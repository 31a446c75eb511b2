using System.Globalization;

namespace RxFeed.Resilience;

/// <summary>
/// The feed was silent for longer than its staleness bound: raised by <c>StaleAfter</c> so that the retry policy sees a
/// silent socket the same way as a dropped one.
/// </summary>
public sealed class StaleFeedException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="StaleFeedException"/> class.</summary>
    public StaleFeedException()
        : base("The feed is stale.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleFeedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StaleFeedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleFeedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StaleFeedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleFeedException"/> class.</summary>
    /// <param name="bound">The staleness bound that was exceeded.</param>
    /// <param name="silentSince">When the silence began: the last element, or the subscription when there was none.</param>
    /// <param name="lastElementAt">When the last element arrived, or null when none arrived since subscription.</param>
    public StaleFeedException(TimeSpan bound, DateTimeOffset silentSince, DateTimeOffset? lastElementAt)
        : base(string.Format(
            CultureInfo.InvariantCulture,
            "No element for {0} (bound), silent since {1:O} ({2}).",
            bound,
            silentSince,
            lastElementAt is null ? "no element since subscription" : "the last element"))
    {
        Bound = bound;
        SilentSince = silentSince;
        LastElementAt = lastElementAt;
    }

    /// <summary>Gets the staleness bound that was exceeded.</summary>
    public TimeSpan Bound { get; }

    /// <summary>Gets when the silence began (scheduler time): the last element, or the subscription.</summary>
    public DateTimeOffset SilentSince { get; }

    /// <summary>Gets when the last element arrived (scheduler time), or null when none arrived since subscription.</summary>
    public DateTimeOffset? LastElementAt { get; }
}
