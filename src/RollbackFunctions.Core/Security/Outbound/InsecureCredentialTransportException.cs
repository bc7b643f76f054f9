namespace RollbackFunctions.Security.Outbound;

/// <summary>A request of a client that carries credentials was refused before it left: plain http to a non-loopback host.</summary>
public sealed class InsecureCredentialTransportException : HttpRequestException
{
    public InsecureCredentialTransportException()
    {
    }

    public InsecureCredentialTransportException(string message)
        : base(message)
    {
    }

    public InsecureCredentialTransportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
