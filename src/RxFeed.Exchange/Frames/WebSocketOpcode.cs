namespace RxFeed.Exchange.Frames;

/// <summary>RFC 6455 §5.2 frame opcodes.</summary>
internal enum WebSocketOpcode : byte
{
    /// <summary>A continuation of a fragmented message.</summary>
    Continuation = 0x0,

    /// <summary>A UTF-8 text message.</summary>
    Text = 0x1,

    /// <summary>A binary message.</summary>
    Binary = 0x2,

    /// <summary>A close control frame.</summary>
    Close = 0x8,

    /// <summary>A ping control frame.</summary>
    Ping = 0x9,

    /// <summary>A pong control frame.</summary>
    Pong = 0xA,
}
