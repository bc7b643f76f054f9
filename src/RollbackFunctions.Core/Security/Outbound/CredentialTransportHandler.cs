namespace RollbackFunctions.Security.Outbound;

/// <summary>
/// The send-time guard of every typed client that carries credentials (see
/// <see cref="CredentialedHttpClientBuilderExtensions.CarriesCredentials"/>): a request over plain http to a host that
/// is not loopback never leaves, whatever its headers, so no provider can forget the check. Outermost handler, so the
/// refusal is final and not retried.
/// </summary>
public sealed class CredentialTransportHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Refusal(request) is { } refused ? throw refused : base.SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Refusal(request) is { } refused ? throw refused : base.Send(request, cancellationToken);

    private static InsecureCredentialTransportException? Refusal(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.RequestUri is { } url && !CredentialTransport.IsAllowed(url)
            ? new InsecureCredentialTransportException(
                $"refused to send credentials over plain http to {url.GetLeftPart(UriPartial.Authority)}: use https (plain http only to loopback)")
            : null;
    }
}
