namespace RollbackFunctions.Security.Outbound;

public static class CredentialedHttpClientBuilderExtensions
{
    /// <summary>
    /// For every typed client that sends credentials: it follows no redirect (a redirect is a sign-in page or a moved
    /// resource, never the answer, and following it would carry the credentials wherever it points), and
    /// <see cref="CredentialTransportHandler"/> refuses plain http to anything but loopback. Call it before the
    /// resilience handler, so the guard sits outside it.
    /// </summary>
    public static IHttpClientBuilder CarriesCredentials(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler(static () => new CredentialTransportHandler());
    }
}
