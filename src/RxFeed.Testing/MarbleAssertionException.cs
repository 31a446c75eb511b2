namespace RxFeed.Testing;

/// <summary>What an operator did differs from its marble diagram; the message shows both, aligned, and the first difference.</summary>
public sealed class MarbleAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MarbleAssertionException"/> class.</summary>
    public MarbleAssertionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleAssertionException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MarbleAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleAssertionException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MarbleAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
