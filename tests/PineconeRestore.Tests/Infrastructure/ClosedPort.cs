using System.Net;
using System.Net.Sockets;

namespace PineconeRestore.Tests.Infrastructure;

/// <summary>
/// A loopback port that refuses connections for as long as this object lives: bound, never listening, so no other
/// process can take it meanwhile (a port freed a moment ago can be reused by anyone).
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public string Url => $"http://127.0.0.1:{Port}/";

    public void Dispose() => _socket.Dispose();
}
