using System.Buffers.Binary;
using System.Text;

namespace RxFeed.Exchange.Frames;

/// <summary>
/// Encodes RFC 6455 frames. The server writes unmasked frames; a mask key may be given so tests can
/// play the client's part with the same code.
/// </summary>
internal static class WebSocketFrameWriter
{
    /// <summary>The largest header: 2 bytes, 8 of extended length and 4 of mask.</summary>
    public const int MaxHeaderLength = 14;

    /// <summary>Writes a frame header.</summary>
    /// <param name="destination">At least <see cref="MaxHeaderLength"/> bytes.</param>
    /// <param name="opcode">The opcode.</param>
    /// <param name="fin">Whether this is the final fragment.</param>
    /// <param name="payloadLength">The payload length.</param>
    /// <param name="maskKey">Empty for a server frame, or the 4-byte mask of a client frame.</param>
    /// <returns>The header length.</returns>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, bool fin, long payloadLength, ReadOnlySpan<byte> maskKey = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        var maskBit = maskKey.IsEmpty ? 0 : 0x80;
        int length;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(maskBit | (int)payloadLength);
            length = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            length = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            length = 10;
        }

        if (!maskKey.IsEmpty)
        {
            maskKey[..4].CopyTo(destination[length..]);
            length += 4;
        }

        return length;
    }

    /// <summary>Builds a whole frame in one array.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="payload">The payload (unmasked).</param>
    /// <param name="fin">Whether this is the final fragment.</param>
    /// <param name="maskKey">Empty for a server frame, or a 4-byte mask.</param>
    /// <returns>The frame bytes.</returns>
    public static byte[] BuildFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, ReadOnlySpan<byte> maskKey = default)
    {
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        var headerLength = WriteHeader(header, opcode, fin, payload.Length, maskKey);
        var frame = new byte[headerLength + payload.Length];
        header[..headerLength].CopyTo(frame);
        payload.CopyTo(frame.AsSpan(headerLength));
        if (!maskKey.IsEmpty)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                frame[headerLength + i] ^= maskKey[i & 3];
            }
        }

        return frame;
    }

    /// <summary>Builds a close frame body: a big-endian code and a UTF-8 reason cut to fit 125 bytes.</summary>
    /// <param name="code">The close code.</param>
    /// <param name="reason">The reason.</param>
    /// <returns>The body.</returns>
    public static byte[] BuildCloseBody(int code, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason ?? string.Empty);
        var reasonLength = Math.Min(text.Length, 123);
        while (reasonLength > 0 && reasonLength < text.Length && (text[reasonLength] & 0xC0) == 0x80)
        {
            reasonLength--; // never cut inside a UTF-8 sequence
        }

        var body = new byte[2 + reasonLength];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)code);
        text.AsSpan(0, reasonLength).CopyTo(body.AsSpan(2));
        return body;
    }
}
