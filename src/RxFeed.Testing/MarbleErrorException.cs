namespace RxFeed.Testing;

/// <summary>The error a diagram's <c>#</c> stands for when no <c>errors:</c> are given.</summary>
public sealed class MarbleErrorException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MarbleErrorException"/> class.</summary>
    public MarbleErrorException()
        : base("marble error")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleErrorException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MarbleErrorException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleErrorException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MarbleErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
