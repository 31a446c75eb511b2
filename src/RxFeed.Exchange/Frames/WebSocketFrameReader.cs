using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace RxFeed.Exchange.Frames;

/// <summary>
/// Reads RFC 6455 frames sent by a client (server side): every frame must be masked, data messages are
/// reassembled from their fragments, control frames are returned as they arrive (also between fragments).
/// Any breach of the protocol throws a <see cref="WebSocketProtocolException"/> carrying the close code to send.
/// </summary>
internal sealed class WebSocketFrameReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly int _maxMessageBytes;
    private readonly byte[] _header = new byte[14];
    private WebSocketOpcode _fragmentOpcode;
    private ArrayBufferWriter<byte>? _fragments;

    /// <summary>Initializes a new instance of the <see cref="WebSocketFrameReader"/> class.</summary>
    /// <param name="stream">The upgraded connection.</param>
    /// <param name="maxMessageBytes">The largest data message accepted; a larger one is a 1009 error.</param>
    public WebSocketFrameReader(Stream stream, int maxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 125);
        _stream = stream;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>Reads the next complete message or control frame.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The message, or <see langword="null"/> when the peer ended the stream between frames.</returns>
    /// <exception cref="WebSocketProtocolException">The client broke the protocol.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside a frame.</exception>
    public async ValueTask<WebSocketMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var first = await _stream.ReadAtLeastAsync(_header.AsMemory(0, 2), 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (first == 0)
            {
                return null;
            }

            if (first < 2)
            {
                throw new EndOfStreamException("The stream ended inside a frame header.");
            }

            var (fin, opcode, length) = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            var mask = _header.AsMemory(10, 4);
            await _stream.ReadExactlyAsync(mask, cancellationToken).ConfigureAwait(false);

            if (IsControl(opcode))
            {
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
                Unmask(payload, mask.Span, 0);
                if (opcode == WebSocketOpcode.Close)
                {
                    ValidateClose(payload);
                }

                return new WebSocketMessage(opcode, payload);
            }

            var message = await ReadDataFrameAsync(fin, opcode, length, cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }
        }
    }

    private static bool IsControl(WebSocketOpcode opcode) => ((byte)opcode & 0x8) != 0;

    private static void Unmask(Span<byte> payload, ReadOnlySpan<byte> mask, long offset)
    {
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= mask[(int)((offset + i) & 3)];
        }
    }

    private static void ValidateClose(byte[] payload)
    {
        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A close frame body of one byte.");
        }

        if (payload.Length >= 2)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (!WebSocketCloseCodes.IsValidOnWire(code))
            {
                throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, $"Close code {code} is not allowed on the wire.");
            }

            ValidateUtf8(payload.AsSpan(2));
        }
    }

    private static void ValidateUtf8(ReadOnlySpan<byte> text)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(text);
        }
        catch (DecoderFallbackException)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.InvalidPayload, "Text that is not valid UTF-8.");
        }
    }

    private static WebSocketMessage Complete(WebSocketOpcode opcode, byte[] payload)
    {
        if (opcode == WebSocketOpcode.Text)
        {
            ValidateUtf8(payload);
        }

        return new WebSocketMessage(opcode, payload);
    }

    private async ValueTask<(bool Fin, WebSocketOpcode Opcode, int Length)> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var b0 = _header[0];
        var b1 = _header[1];
        var fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "Reserved bits set without a negotiated extension.");
        }

        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        if (opcode is not WebSocketOpcode.Continuation and not WebSocketOpcode.Text and not WebSocketOpcode.Binary
            and not WebSocketOpcode.Close and not WebSocketOpcode.Ping and not WebSocketOpcode.Pong)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, $"Unknown opcode {(int)opcode}.");
        }

        if ((b1 & 0x80) == 0)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A client frame that is not masked.");
        }

        long length = b1 & 0x7F;
        if (IsControl(opcode) && (!fin || length > 125))
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A control frame that is fragmented or longer than 125 bytes.");
        }

        if (length == 126)
        {
            await _stream.ReadExactlyAsync(_header.AsMemory(2, 2), cancellationToken).ConfigureAwait(false);
            length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
        }
        else if (length == 127)
        {
            await _stream.ReadExactlyAsync(_header.AsMemory(2, 8), cancellationToken).ConfigureAwait(false);
            var wide = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            if (wide > long.MaxValue)
            {
                throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A 64-bit length with its top bit set.");
            }

            length = (long)wide;
        }

        var buffered = _fragments?.WrittenCount ?? 0;
        if (length + buffered > _maxMessageBytes)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.MessageTooBig, $"A message longer than {_maxMessageBytes} bytes.");
        }

        return (fin, opcode, (int)length);
    }

    private async ValueTask<WebSocketMessage?> ReadDataFrameAsync(bool fin, WebSocketOpcode opcode, int length, CancellationToken cancellationToken)
    {
        if (opcode == WebSocketOpcode.Continuation && _fragments is null)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A continuation frame with no message to continue.");
        }

        if (opcode != WebSocketOpcode.Continuation && _fragments is not null)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A new data frame inside a fragmented message.");
        }

        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        Unmask(payload, _header.AsSpan(10, 4), 0);

        if (opcode != WebSocketOpcode.Continuation && fin)
        {
            return Complete(opcode, payload);
        }

        if (opcode != WebSocketOpcode.Continuation)
        {
            _fragmentOpcode = opcode;
            _fragments = new ArrayBufferWriter<byte>();
        }

        var fragments = _fragments!;
        fragments.Write(payload);
        if (!fin)
        {
            return null;
        }

        var whole = fragments.WrittenSpan.ToArray();
        _fragments = null;
        return Complete(_fragmentOpcode, whole);
    }
}
