using System.Net;
using RollbackFunctions.Intake;
using RollbackFunctions.Security;
using RollbackFunctions.Tests.Intake;

namespace RollbackFunctions.Tests.Security;

/// <summary>
/// API.md "Who may call what" on the dev host's handlers over real HTTP: every route with a key of every role is
/// either let through to its handler (whatever the handler then answers, never 401/403) or refused with 403 problem
/// details naming the role it needs and the one the caller has; no credential is 401.
/// </summary>
public sealed class DevHostRoleMatrixTests
{
    [Fact]
    public async Task Every_route_with_every_role_is_allowed_or_403_and_without_a_credential_401()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => RouteCalls.AddRoleKeys(settings));
        var wrong = new List<string>();

        foreach (var route in RollbackRoutes.All.Where(r => !r.Anonymous))
        {
            using (var anonymous = RouteCalls.Request(route))
            {
                await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(anonymous), HttpStatusCode.Unauthorized);
            }

            foreach (var role in RollbackRoles.All)
            {
                using var request = RouteCalls.Request(route, key: RouteCalls.Key(role));
                using var response = await host.Anonymous.SendAsync(request);
                if (RouteCalls.Allows(route, role))
                {
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    {
                        wrong.Add($"{route.Label} as {role}: {(int)response.StatusCode}, expected the handler's answer: {await response.Content.ReadAsStringAsync()}");
                    }

                    continue;
                }

                if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    wrong.Add($"{route.Label} as {role}: {(int)response.StatusCode}, expected 403");
                    continue;
                }

                var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.Forbidden);
                var title = problem.GetProperty("title").GetString()!;
                Assert.Contains(route.Access.Describe(), title, StringComparison.Ordinal);
                Assert.Contains(RouteCalls.KeyName(role), title, StringComparison.Ordinal);
                Assert.Equal(role, Assert.Single(problem.GetProperty("callerRoles").EnumerateArray()).GetString());
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Routes_still_being_built_need_a_credential_first()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => RouteCalls.AddRoleKeys(settings));

        foreach (var route in RollbackRoutes.Unmapped)
        {
            using var anonymous = RouteCalls.Request(route);
            await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(anonymous), HttpStatusCode.Unauthorized);
            using var wrongKey = RouteCalls.Request(route, key: "not-a-configured-key");
            await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(wrongKey), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_bare_key_holds_every_role_and_a_named_key_is_checked_in_the_code_parameter_too()
    {
        await using var host = await IntakeTestHost.StartAsync(settings => RouteCalls.AddRoleKeys(settings));

        // The tests' default key is bare (RollbackApi:Keys:0): every role, as documented for local use.
        foreach (var route in RollbackRoutes.All.Where(r => !r.Anonymous))
        {
            using var request = RouteCalls.Request(route, key: IntakeTestHost.ApiKey);
            using var response = await host.Anonymous.SendAsync(request);
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route.Label}: {(int)response.StatusCode}");
        }

        var asReader = $"api/components/shop?code={RouteCalls.Key(RollbackRoles.Reader)}";
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync(asReader)).StatusCode);
        var asPipeline = await host.Anonymous.GetAsync($"api/components/shop?code={RouteCalls.Key(RollbackRoles.Pipeline)}");
        await IntakeTestHost.ProblemAsync(asPipeline, HttpStatusCode.Forbidden);
    }
}
