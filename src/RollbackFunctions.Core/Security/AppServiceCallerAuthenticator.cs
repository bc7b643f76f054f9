namespace RollbackFunctions.Security;

/// <summary>
/// The Functions app's callers: the App Service authentication principal (<c>X-MS-CLIENT-PRINCIPAL</c>) when the
/// platform's authentication is on, else a key of <c>RollbackApi:Keys</c>. The triggers are
/// <c>AuthorizationLevel.Anonymous</c>: the host would check its own function keys but never tell the worker which key
/// it was, and it would refuse Entra ID callers that have no key; here every caller gets a name and roles.
/// </summary>
public sealed class AppServiceCallerAuthenticator(IConfiguration configuration, ApiKeyCallers keys) : ICallerAuthenticator
{
    public Task<CallerAuthentication> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (PlatformAuthenticationIsOn && AppServicePrincipal.Read(http.Request.Headers[AppServicePrincipal.HeaderName]) is { } principal)
        {
            return Task.FromResult(new CallerAuthentication(principal));
        }

        return Task.FromResult(RollbackAuthentication.FromKey(keys, http.Request));
    }

    /// <summary>Only then did the platform write the header (and strip a client's); otherwise anyone could.</summary>
    private bool PlatformAuthenticationIsOn => string.Equals(configuration[AppServicePrincipal.AuthEnabledSetting], "True", StringComparison.OrdinalIgnoreCase);
}
