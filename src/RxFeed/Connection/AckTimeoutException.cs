namespace RxFeed.Connection;

/// <summary>A request got no reply within <see cref="FeedConnectionOptions.AckTimeout"/>: the connection is treated as broken.</summary>
public sealed class AckTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="AckTimeoutException"/> class.</summary>
    public AckTimeoutException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AckTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AckTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AckTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AckTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
