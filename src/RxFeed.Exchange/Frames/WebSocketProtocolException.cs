namespace RxFeed.Exchange.Frames;

/// <summary>A client broke RFC 6455; the connection must be closed with <see cref="CloseCode"/>.</summary>
internal sealed class WebSocketProtocolException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="WebSocketProtocolException"/> class.</summary>
    /// <param name="closeCode">The close code to send.</param>
    /// <param name="message">What was wrong.</param>
    public WebSocketProtocolException(int closeCode, string message)
        : base(message) => CloseCode = closeCode;

    /// <summary>Gets the close code to send.</summary>
    public int CloseCode { get; }
}
