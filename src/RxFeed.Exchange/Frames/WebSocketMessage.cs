namespace RxFeed.Exchange.Frames;

/// <summary>One complete message read from a client: a data message (reassembled from its fragments) or a control frame.</summary>
/// <param name="Opcode">Text, Binary, Ping, Pong or Close (never Continuation).</param>
/// <param name="Payload">The unmasked payload; for Close it is the raw close body.</param>
internal readonly record struct WebSocketMessage(WebSocketOpcode Opcode, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Gets the close status code of a Close message (1005 when the body is empty).</summary>
    public int CloseCode => Payload.Length >= 2 ? (Payload.Span[0] << 8) | Payload.Span[1] : WebSocketCloseCodes.NoStatus;

    /// <summary>Gets the close reason of a Close message.</summary>
    public string CloseReason => Payload.Length > 2 ? System.Text.Encoding.UTF8.GetString(Payload.Span[2..]) : string.Empty;
}
