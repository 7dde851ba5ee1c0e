using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PineconeRestore.Client.Tests;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1, port 0, for what no well-behaved server does: bodies cut mid-way, endless
/// chunked bodies, any header. Each connection carries one request; the answers are scripted in order, the last one
/// repeating. Records every request head as received, byte for byte.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Func<Stream, Task>> _answers = new();
    private readonly List<string> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _answered;
    private int _disposed;

    public LoopbackServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Request heads (request line and headers) in the order they came.</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    /// <summary>Bytes written by endless answers before the client went away.</summary>
    public long BytesWrittenBeforeClose { get; private set; }

    public LoopbackServer Answer(Func<Stream, Task> write)
    {
        lock (_answers) _answers.Add(write);
        return this;
    }

    /// <summary>A whole answer with Content-Length.</summary>
    public LoopbackServer Answer(int status, string body, string contentType = "application/json") =>
        Answer(stream => WriteAsync(stream, Head(status, contentType, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}") + body));

    /// <summary>Headers promising <paramref name="declaredLength"/> bytes, then only <paramref name="sent"/> and a closed connection.</summary>
    public LoopbackServer AnswerCut(string sent, int declaredLength) =>
        Answer(stream => WriteAsync(stream, Head(200, "application/json", $"Content-Length: {declaredLength}") + sent));

    /// <summary>A chunked answer that stops before its last chunk.</summary>
    public LoopbackServer AnswerChunkedCut(string sent) =>
        Answer(stream => WriteAsync(stream, Head(200, "application/json", "Transfer-Encoding: chunked") + Chunk(sent)));

    /// <summary>A chunked answer of these chunks, properly ended.</summary>
    public LoopbackServer AnswerChunked(params string[] chunks) =>
        Answer(stream => WriteAsync(stream, Head(200, "application/json", "Transfer-Encoding: chunked") + string.Concat(chunks.Select(Chunk)) + "0\r\n\r\n"));

    /// <summary>A chunked 200 that never ends: '[' then spaces, until the client closes the connection.</summary>
    public LoopbackServer AnswerEndless() =>
        Answer(async stream =>
        {
            await WriteAsync(stream, Head(200, "application/json", "Transfer-Encoding: chunked") + Chunk("["));
            byte[] chunk = Encoding.ASCII.GetBytes(Chunk(new string(' ', 64 * 1024)));
            long written = 0;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await stream.WriteAsync(chunk, _stop.Token);
                    written += chunk.Length;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
            }

            BytesWrittenBeforeClose = written;
        });

    public static string Head(int status, string contentType, string framing) =>
        $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Status")}\r\nContent-Type: {contentType}\r\n{framing}\r\nConnection: close\r\n\r\n";

    private static string Chunk(string data) => $"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";

    private static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.FlushAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string head = await ReadHeadAsync(stream);
                lock (_requests) _requests.Add(head);
                Func<Stream, Task> answer;
                lock (_answers)
                {
                    answer = _answers[Math.Min(_answered++, _answers.Count - 1)];
                }

                await answer(stream);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                break;
            }
        }

        string text = Encoding.UTF8.GetString(head.ToArray());
        // Drain a request body so the client sees its request taken whole.
        foreach (string line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                int length = int.Parse(line.Substring("Content-Length:".Length).Trim());
                var body = new byte[length];
                await stream.ReadExactlyAsync(body);
            }
        }

        return text;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
        }

    }
}
