namespace RxFeed.Exchange.Frames;

/// <summary>RFC 6455 §7.4.1 close status codes used by the exchange.</summary>
public static class WebSocketCloseCodes
{
    /// <summary>Normal closure.</summary>
    public const int Normal = 1000;

    /// <summary>The endpoint is going away (server shutdown, lifetime reached).</summary>
    public const int GoingAway = 1001;

    /// <summary>A protocol error.</summary>
    public const int ProtocolError = 1002;

    /// <summary>A data type the endpoint cannot accept.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>No status code was present (never sent on the wire).</summary>
    public const int NoStatus = 1005;

    /// <summary>A text message that is not valid UTF-8.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>A policy violation: Binance uses it when a connection sends too many messages.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A message too big to process.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>An unexpected condition on the server.</summary>
    public const int InternalError = 1011;

    /// <summary>Returns whether a code may appear in a close frame on the wire (RFC 6455 §7.4).</summary>
    /// <param name="code">The close code.</param>
    /// <returns><see langword="true"/> when the code is valid on the wire.</returns>
    public static bool IsValidOnWire(int code) =>
        (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}
