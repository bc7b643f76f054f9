using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace RollbackFunctions.Security;

/// <summary>JwtBearer validating Entra ID tokens against <c>RollbackApi:Entra</c>; the validated token becomes a <see cref="CallerIdentity"/>.</summary>
internal static class EntraTokens
{
    public static void Configure(JwtBearerOptions jwt, EntraTokenOptions entra)
    {
        jwt.Authority = entra.Authority!.AbsoluteUri.TrimEnd('/');
        jwt.Audience = entra.Audience;

        // The validator allows plain http for a loopback authority only; everything else fetches metadata over https.
        jwt.RequireHttpsMetadata = !entra.IsLoopback;

        // Keep the token's own claim names (roles, oid, name) rather than the WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.ValidAudience = entra.Audience;
        jwt.TokenValidationParameters.ValidateIssuer = true;
        jwt.TokenValidationParameters.ValidateAudience = true;
        jwt.TokenValidationParameters.ValidateLifetime = true;
        jwt.TokenValidationParameters.NameClaimType = CallerIdentity.NameClaim;
        jwt.TokenValidationParameters.RoleClaimType = CallerIdentity.RoleClaim;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (CallerIdentity.FromClaims(context.Principal?.Claims ?? [], CallerIdentity.TokenMethod) is { } caller)
                {
                    context.Principal = caller.ToPrincipal();
                    context.Success();
                }
                else
                {
                    context.Fail("the bearer token names no caller (no name, preferred_username, azp, appid or oid claim).");
                }

                return Task.CompletedTask;
            },
        };
    }
}
