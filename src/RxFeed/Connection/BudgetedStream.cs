namespace RxFeed.Connection;

/// <summary>
/// The plaintext stream under a WebSocket: every frame ClientWebSocket writes by itself — the pong to a server ping, our
/// keepalive ping, the close — waits here for a slot of the connection's <see cref="OutboundLimiter"/>. Text frames are
/// our requests, which took their slot in the <see cref="OutboundBudget"/> before they were handed to the socket.
/// </summary>
/// <remarks>Writes pass untouched until <see cref="StartFraming"/> (the HTTP upgrade is not WebSocket frames).</remarks>
internal sealed class BudgetedStream : Stream
{
    private readonly Stream _inner;
    private readonly OutboundLimiter _limiter;
    private readonly byte[] _header = new byte[14];
    private readonly CancellationTokenSource _closed = new();
    private bool _framing;
    private int _headerLength;
    private long _payloadLeft;

    public BudgetedStream(Stream inner, OutboundLimiter limiter)
    {
        _inner = inner;
        _limiter = limiter;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>From now on, writes are WebSocket frames (client to server, masked).</summary>
    public void StartFraming() => _framing = true;

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_framing)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!buffer.IsEmpty)
        {
            if (_payloadLeft > 0)
            {
                // The rest of a frame whose slot was already taken.
                int n = (int)Math.Min(_payloadLeft, buffer.Length);
                await _inner.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
                _payloadLeft -= n;
                buffer = buffer[n..];
                continue;
            }

            // A frame starts: read its header (it may be split over writes), take a slot for control frames, then write.
            int headerStart = _headerLength;
            int taken = ReadHeader(buffer.Span);
            if (taken < 0)
            {
                return; // header incomplete: kept, written with the rest
            }

            OutboundSlot? slot = null;
            OutboundFrameKind? kind = (_header[0] & 0x0F) switch
            {
                0x8 => OutboundFrameKind.Close,
                0x9 => OutboundFrameKind.Ping,
                0xA => OutboundFrameKind.Pong,
                _ => null, // text, binary, continuation: our requests, paced by the OutboundBudget
            };
            if (kind is { } k)
            {
                // A frame waiting for a slot when the socket is torn down gives up, rather than wait for ever.
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
                slot = await _limiter.WaitAsync(k, either.Token).ConfigureAwait(false);
            }

            try
            {
                if (headerStart > 0)
                {
                    await _inner.WriteAsync(_header.AsMemory(0, headerStart), cancellationToken).ConfigureAwait(false);
                }

                int n = (int)Math.Min(taken + _payloadLeft, buffer.Length);
                await _inner.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
                _payloadLeft -= n - taken;
                buffer = buffer[n..];
            }
            finally
            {
                slot?.Complete();
            }

            _headerLength = 0;
        }
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closed.Cancel();
            _inner.Dispose();
            _closed.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Adds header bytes from <paramref name="data"/>; returns how many bytes of it belong to the header once the header is
    /// complete (and sets the payload length), or -1 when all of it was header and more is needed.
    /// </summary>
    private int ReadHeader(ReadOnlySpan<byte> data)
    {
        int used = 0;
        while (true)
        {
            int need = HeaderLength();
            if (_headerLength >= need)
            {
                _payloadLeft = PayloadLength();
                return used;
            }

            if (used == data.Length)
            {
                return -1;
            }

            _header[_headerLength++] = data[used++];
        }
    }

    private int HeaderLength()
    {
        if (_headerLength < 2)
        {
            return 2;
        }

        int len = _header[1] & 0x7F;
        int mask = (_header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + mask + (len == 126 ? 2 : len == 127 ? 8 : 0);
    }

    private long PayloadLength()
    {
        int len = _header[1] & 0x7F;
        return len switch
        {
            126 => (_header[2] << 8) | _header[3],
            127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)),
            _ => len,
        };
    }
}
