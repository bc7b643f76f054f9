using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace RollbackFunctions.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Who may call what, for both hosts: <c>RollbackApi</c> options (validated at start), one authorization policy per
    /// <see cref="RouteAccess"/>, and <see cref="CallerAuthorization"/>. The callers are named by the dev host's ASP.NET
    /// Core authentication (keys and, with <c>RollbackApi:Entra</c>, JwtBearer) unless the host replaces
    /// <see cref="ICallerAuthenticator"/> (<see cref="UseAppServiceAuthentication"/>).
    /// </summary>
    public static IServiceCollection AddRollbackSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(RollbackApiOptions.SectionName);
        services.AddOptions<RollbackApiOptions>()
            .Configure(options =>
            {
                options.Keys = ApiKeyEntries.Read(section.GetSection(nameof(RollbackApiOptions.Keys)));
                var entra = section.GetSection(nameof(RollbackApiOptions.Entra));
                options.Entra = entra.Exists() ? entra.Get<EntraTokenOptions>() : null;
                options.AnswerWithin = section.GetValue(nameof(RollbackApiOptions.AnswerWithin), RollbackApiOptions.DefaultAnswerWithin);
            })
            .ValidateOnStart();
        services.TryAddSingleton<IOptionsChangeTokenSource<RollbackApiOptions>>(new ConfigurationChangeTokenSource<RollbackApiOptions>(section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RollbackApiOptions>, RollbackApiOptionsValidator>());
        services.TryAddSingleton<ApiKeyCallers>();

        services.AddAuthorization(authorization =>
        {
            foreach (var access in RouteAccess.All.Where(a => !a.IsAnonymous))
            {
                authorization.AddPolicy(access.PolicyName, policy => policy.RequireAuthenticatedUser().RequireRole(access.Roles));
            }
        });

        services.AddAuthentication(RollbackAuthentication.Scheme)
            .AddPolicyScheme(RollbackAuthentication.Scheme, "Key or Entra ID bearer token", scheme => scheme.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith(RollbackAuthentication.BearerPrefix, StringComparison.OrdinalIgnoreCase)
                && context.RequestServices.GetRequiredService<IOptionsMonitor<RollbackApiOptions>>().CurrentValue.Entra is not null
                    ? JwtBearerDefaults.AuthenticationScheme
                    : RollbackAuthentication.KeyScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(RollbackAuthentication.KeyScheme, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptionsMonitor<RollbackApiOptions>>((jwt, api) =>
        {
            if (api.CurrentValue.Entra is { } entra)
            {
                EntraTokens.Configure(jwt, entra);
            }
        });

        services.TryAddSingleton<ICallerAuthenticator, AspNetCoreCallerAuthenticator>();
        services.TryAddSingleton<CallerAuthorization>();
        services.TryAddSingleton<CallerAuthorizationFilter>();
        return services;
    }

    /// <summary>The Functions app: callers come from App Service authentication's principal or a <c>RollbackApi:Keys</c> key.</summary>
    public static IServiceCollection UseAppServiceAuthentication(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ICallerAuthenticator, AppServiceCallerAuthenticator>());
}
