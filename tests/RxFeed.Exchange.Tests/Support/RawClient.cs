using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RxFeed.Exchange;
using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Tests.Support;

/// <summary>
/// A hand-driven WebSocket client over a plain TCP socket, for what ClientWebSocket will not do:
/// withhold pongs, send unsolicited pongs, break the protocol, or never read.
/// </summary>
internal sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawClient> ConnectAsync(LocalExchange exchange, string path, int? receiveBuffer = null)
    {
        var tcp = new TcpClient();
        if (receiveBuffer is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        await tcp.ConnectAsync("127.0.0.1", exchange.Port, timeout.Token);
        var client = new RawClient(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{exchange.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var response = await client.ReadHeadersAsync(timeout.Token);
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Upgrade refused: " + response);
        }

        response.Should().Contain("Sec-WebSocket-Accept: " + WebSocketHandshake.ComputeAccept(key));
        return client;
    }

    public Task SendAsync(WebSocketOpcode opcode, byte[] payload, bool fin = true, bool mask = true)
    {
        var key = mask ? RandomNumberGenerator.GetBytes(4) : [];
        return _stream.WriteAsync(WebSocketFrameWriter.BuildFrame(opcode, payload, fin, key)).AsTask();
    }

    public Task SendTextAsync(string text) => SendAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads one server frame (unmasked); null when the connection ended or nothing came in time.</summary>
    public async Task<(WebSocketOpcode Opcode, byte[] Payload)?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var header = new byte[2];
            if (await _stream.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, cts.Token) < 2)
            {
                return null;
            }

            long length = header[1] & 0x7F;
            if (length == 126)
            {
                var ext = new byte[2];
                await _stream.ReadExactlyAsync(ext, cts.Token);
                length = BinaryPrimitives.ReadUInt16BigEndian(ext);
            }
            else if (length == 127)
            {
                var ext = new byte[8];
                await _stream.ReadExactlyAsync(ext, cts.Token);
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
            }

            ((header[1] & 0x80) == 0).Should().BeTrue("a server must not mask its frames");
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, cts.Token);
            return ((WebSocketOpcode)(header[0] & 0x0F), payload);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one of the opcode arrives; null when the connection ends or time runs out.</summary>
    public async Task<(WebSocketOpcode Opcode, byte[] Payload)?> ReadUntilAsync(WebSocketOpcode opcode, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReadFrameAsync(deadline - DateTime.UtcNow);
            if (frame is null || frame.Value.Opcode == opcode)
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>Returns true when the server ended the TCP connection within the timeout (frames before it are skipped).</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            using var cts = new CancellationTokenSource(deadline - DateTime.UtcNow);
            try
            {
                if (await _stream.ReadAsync(buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<string> ReadHeadersAsync(CancellationToken token)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 8192)
        {
            if (await _stream.ReadAsync(one, token) == 0)
            {
                break;
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }
}
