using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Sessions;

/// <summary>The send side: two bounded queues (control frames first, then data) drained by one writer.</summary>
internal sealed partial class ClientSession
{
    private const int ControlQueueCapacity = 64;
    private static readonly byte[] EnvelopeSuffix = "}"u8.ToArray();
    private static readonly OutgoingFrame Wake = new(WebSocketOpcode.Continuation, ReadOnlyMemory<byte>.Empty);

    private readonly Channel<OutgoingFrame> _data;
    private readonly ConcurrentQueue<OutgoingFrame> _control = new();
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _controlCount;
    private long _queuedBytes;

    /// <summary>Gets a value indicating whether the send queue is over half full (the client reads slower than the market).</summary>
    public bool IsBacklogged => _data.Reader.Count > _options.SendQueueCapacity / 2;

    /// <summary>Queues a market payload on this connection, in its envelope.</summary>
    /// <param name="prefix">The stream's combined-envelope prefix.</param>
    /// <param name="payload">The payload.</param>
    public void Deliver(byte[] prefix, ReadOnlyMemory<byte> payload) =>
        EnqueueData(_combined ? new OutgoingFrame(WebSocketOpcode.Text, payload, prefix, EnvelopeSuffix) : new OutgoingFrame(WebSocketOpcode.Text, payload));

    /// <summary>Queues a whole text frame as it is (no envelope).</summary>
    /// <param name="payload">The frame text.</param>
    public void SendRaw(ReadOnlyMemory<byte> payload) => EnqueueData(new OutgoingFrame(WebSocketOpcode.Text, payload));

    /// <summary>Queues a data frame; a client whose queue is full does not read, and is disconnected.</summary>
    private void EnqueueData(OutgoingFrame frame)
    {
        if (Volatile.Read(ref _closing) == 1)
        {
            return;
        }

        frame = frame with { QueuedAt = Stopwatch.GetTimestamp() };
        var bytes = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (bytes > _options.SendQueueMaxBytes || !_data.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            DisconnectSlowClient();
        }
    }

    private void EnqueueControl(OutgoingFrame frame)
    {
        if (!TryEnqueueControl(frame))
        {
            DisconnectSlowClient();
        }
    }

    /// <summary>
    /// Control frames jump the data queue. They wait in their own small queue, and a wake marker in the data
    /// queue rouses an idle writer, so the writer only ever waits on one channel (no abandoned waiters).
    /// </summary>
    private bool TryEnqueueControl(OutgoingFrame frame)
    {
        if (Interlocked.Increment(ref _controlCount) > ControlQueueCapacity)
        {
            Interlocked.Decrement(ref _controlCount);
            return false;
        }

        _control.Enqueue(frame);
        _data.Writer.TryWrite(Wake); // a full data queue means the writer is busy and checks control frames first anyway
        return true;
    }

    private void DisconnectSlowClient()
    {
        if (Volatile.Read(ref _aborted) == 1)
        {
            return;
        }

        _counters.SlowClientDisconnect();
        _logger.LogWarning(
            "Connection {ConnectionId} does not read: its send queue passed {Capacity} frames or {MaxBytes} bytes; disconnecting",
            Id,
            _options.SendQueueCapacity,
            _options.SendQueueMaxBytes);
        Abort();
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        try
        {
            while (true)
            {
                if (_control.TryDequeue(out var frame))
                {
                    Interlocked.Decrement(ref _controlCount);
                }
                else if (!_data.Reader.TryRead(out frame))
                {
                    await _stream.FlushAsync(token).ConfigureAwait(false);
                    if (!await _data.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        return; // the queue was completed: the connection is ending
                    }

                    continue;
                }

                if (frame.Opcode == WebSocketOpcode.Continuation)
                {
                    continue; // a wake marker: control frames are checked at the top
                }

                if (frame.Opcode == WebSocketOpcode.Text)
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                }

                if (_stalled)
                {
                    await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                }

                if (frame.Opcode == WebSocketOpcode.Text && _hub.Latency.DueAt(frame.QueuedAt) is > 0 and var due)
                {
                    await HoldAsync(due, token).ConfigureAwait(false);
                }

                await WriteFrameAsync(frame, token).ConfigureAwait(false);
                if (frame.Opcode == WebSocketOpcode.Close)
                {
                    await _stream.FlushAsync(token).ConfigureAwait(false);
                    return; // nothing may follow a close frame
                }
            }
        }
        finally
        {
            _writerDone.TrySetResult();
        }
    }

    /// <summary>The delay and jitter faults: what is written already goes out first, then the frame waits for its time.</summary>
    private async Task HoldAsync(long due, CancellationToken token)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            await _stream.FlushAsync(token).ConfigureAwait(false);
            await Task.Delay(wait, token).ConfigureAwait(false);
        }
    }

    private async Task WriteFrameAsync(OutgoingFrame frame, CancellationToken token)
    {
        var length = frame.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(WebSocketFrameWriter.MaxHeaderLength + length);
        try
        {
            var offset = WebSocketFrameWriter.WriteHeader(buffer, frame.Opcode, fin: true, length);
            frame.Prefix.Span.CopyTo(buffer.AsSpan(offset));
            offset += frame.Prefix.Length;
            frame.Body.Span.CopyTo(buffer.AsSpan(offset));
            offset += frame.Body.Length;
            frame.Suffix.Span.CopyTo(buffer.AsSpan(offset));
            offset += frame.Suffix.Length;
            await _stream.WriteAsync(buffer.AsMemory(0, offset), token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (frame.Opcode == WebSocketOpcode.Text)
        {
            _counters.FrameSent();
        }
    }
}
