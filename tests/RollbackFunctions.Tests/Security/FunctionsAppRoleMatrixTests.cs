using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Intake;
using RollbackFunctions.Security;

namespace RollbackFunctions.Tests.Security;

/// <summary>
/// API.md "Who may call what" as the Functions app runs it: its worker middleware calls
/// <see cref="CallerAuthorization.AdmitAsync"/> with the App Service authenticator
/// (<see cref="SecurityServiceCollectionExtensions.UseAppServiceAuthentication"/>), on the request the host hands it.
/// The principal is App Service authentication's <c>X-MS-CLIENT-PRINCIPAL</c>, trusted only with
/// <c>WEBSITE_AUTH_ENABLED=True</c>; machine callers present a key of <c>RollbackApi:Keys</c>.
/// </summary>
public sealed class FunctionsAppRoleMatrixTests
{
    private const string ObjectId = "6f1c2c3e-5b9a-4f5e-9d61-0c7a2b1e9f10";

    [Fact]
    public async Task Every_route_with_every_role_of_the_platform_principal_is_allowed_or_403_and_without_a_credential_401()
    {
        using var functions = FunctionsSide(authEnabled: true);
        var wrong = new List<string>();

        foreach (var route in RouteCalls.Secured)
        {
            var (status, _) = await functions.AdmitAsync(route);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{route.Label} without a credential: {status}");

            foreach (var role in RollbackRoles.All)
            {
                var (answer, problem) = await functions.AdmitAsync(route, principal: Principal("Olivia Operator", role));
                var expected = RouteCalls.Allows(route, role) ? (HttpStatusCode?)null : HttpStatusCode.Forbidden;
                if (answer != expected)
                {
                    wrong.Add($"{route.Label} as {role}: {answer?.ToString() ?? "admitted"}, expected {expected?.ToString() ?? "admitted"}");
                }
                else if (expected is not null)
                {
                    Assert.Contains(route.Access.Describe(), problem!.Value.GetProperty("title").GetString(), StringComparison.Ordinal);
                    Assert.Contains("Olivia Operator", problem.Value.GetProperty("title").GetString(), StringComparison.Ordinal);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Every_route_with_every_role_of_a_named_key_is_allowed_or_403()
    {
        using var functions = FunctionsSide(authEnabled: true);
        var wrong = new List<string>();

        foreach (var route in RouteCalls.Secured)
        {
            foreach (var role in RollbackRoles.All)
            {
                var (answer, _) = await functions.AdmitAsync(route, key: RouteCalls.Key(role));
                var expected = RouteCalls.Allows(route, role) ? (HttpStatusCode?)null : HttpStatusCode.Forbidden;
                if (answer != expected)
                {
                    wrong.Add($"{route.Label} as key {role}: {answer?.ToString() ?? "admitted"}, expected {expected?.ToString() ?? "admitted"}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task The_admitted_platform_principal_is_the_requests_caller_with_name_and_object_id()
    {
        using var functions = FunctionsSide(authEnabled: true);

        var (answer, _, http) = await functions.AdmitWithContextAsync(RollbackRoutes.ConfirmRollback, principal: Principal("Olivia Operator", RollbackRoles.Operator));

        Assert.Null(answer);
        var caller = CallerIdentity.From(http.User)!;
        Assert.Equal(("Olivia Operator", ObjectId, "aad"), (caller.Name, caller.ObjectId, caller.Method));
        Assert.Equal([RollbackRoles.Operator], caller.Roles);
    }

    [Fact]
    public async Task Without_the_platforms_authentication_the_principal_header_is_ignored()
    {
        foreach (var setting in new string?[] { null, "False", "" })
        {
            using var functions = FunctionsSide(authEnabled: false, setting);

            // Anyone can send the header when App Service authentication is off: it names nobody.
            var (forged, problem) = await functions.AdmitAsync(RollbackRoutes.UnfreezeComponent, principal: Principal("Mallory", RollbackRoles.Operator));
            Assert.Equal(HttpStatusCode.Unauthorized, forged);
            Assert.Contains("credential is required", problem!.Value.GetProperty("title").GetString(), StringComparison.Ordinal);

            // A key still works, and it is the key's holder, not the header's, who is admitted.
            var (keyed, _, http) = await functions.AdmitWithContextAsync(
                RollbackRoutes.GetComponent, key: RouteCalls.Key(RollbackRoles.Reader), principal: Principal("Mallory", RollbackRoles.Operator));
            Assert.Null(keyed);
            Assert.Equal(RouteCalls.KeyName(RollbackRoles.Reader), CallerIdentity.From(http.User)!.Name);
            var (forbidden, _) = await functions.AdmitAsync(RollbackRoutes.UnfreezeComponent, key: RouteCalls.Key(RollbackRoles.Reader), principal: Principal("Mallory", RollbackRoles.Operator));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        }
    }

    [Fact]
    public async Task A_header_that_is_not_a_principal_or_an_unknown_key_is_401()
    {
        using var functions = FunctionsSide(authEnabled: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await functions.AdmitAsync(RollbackRoutes.GetComponent, principal: "not base64 json")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await functions.AdmitAsync(RollbackRoutes.GetComponent, principal: Convert.ToBase64String("{}"u8.ToArray()))).Status);
        var (unknown, problem) = await functions.AdmitAsync(RollbackRoutes.GetComponent, key: "not-a-configured-key");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
        Assert.Contains("not one of RollbackApi:Keys", problem!.Value.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The header as App Service authentication writes it for an Entra ID user with app roles.</summary>
    private static string Principal(string name, params string[] roles) => AppServicePrincipal.Write(
        "aad",
        [
            ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", name),
            ("name", name),
            (CallerIdentity.LongObjectIdClaim, ObjectId),
            ("preferred_username", "olivia@example.test"),
            .. roles.Select(r => ("roles", r)),
        ],
        nameType: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        roleType: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");

    private static FunctionsAccess FunctionsSide(bool authEnabled, string? disabledSetting = null)
    {
        var settings = new Dictionary<string, string?>();
        RouteCalls.AddRoleKeys(settings);
        settings[AppServicePrincipal.AuthEnabledSetting] = authEnabled ? "True" : disabledSetting;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddProblemDetails();
        services.AddRollbackSecurity(configuration).UseAppServiceAuthentication();
        return new FunctionsAccess(services.BuildServiceProvider());
    }

    private sealed class FunctionsAccess(ServiceProvider services) : IDisposable
    {
        public async Task<(HttpStatusCode? Status, JsonElement? Problem)> AdmitAsync(RollbackRoute route, string? key = null, string? principal = null)
        {
            var (status, problem, _) = await AdmitWithContextAsync(route, key, principal);
            return (status, problem);
        }

        /// <summary>What the worker middleware does with the request: null status = admitted and the handler runs.</summary>
        public async Task<(HttpStatusCode? Status, JsonElement? Problem, HttpContext Http)> AdmitWithContextAsync(RollbackRoute route, string? key = null, string? principal = null)
        {
            using var scope = services.CreateScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Method = route.Method;
            http.Request.Path = "/" + RouteCalls.Path(route);
            http.Response.Body = new MemoryStream();
            if (key is not null)
            {
                http.Request.Headers[ApiKeyCallers.HeaderName] = key;
            }

            if (principal is not null)
            {
                http.Request.Headers[AppServicePrincipal.HeaderName] = principal;
            }

            var refusal = await services.GetRequiredService<CallerAuthorization>().AdmitAsync(http, route);
            if (refusal is null)
            {
                return (null, null, http);
            }

            await refusal.ExecuteAsync(http);
            Assert.Equal("application/problem+json", http.Response.ContentType);
            http.Response.Body.Position = 0;
            return ((HttpStatusCode)http.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body), http);
        }

        public void Dispose() => services.Dispose();
    }
}
