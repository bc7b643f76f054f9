using System.Net;
using RollbackFunctions.Domain;
using RollbackFunctions.Security.Outbound;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Intake;
using RollbackFunctions.Tests.Workflow;

namespace RollbackFunctions.Tests.Security.Outbound;

/// <summary>Issue 15 item 5: a probe's query and user info never appear in the audit, the incident or the dry-run plan.</summary>
public sealed class ProbeUrlRedactionTests
{
    private const string Secrets = "probe-user:probe-pass";
    private const string QueryKey = "code=probe-secret-123";

    [Theory]
    [InlineData("https://probe-user:probe-pass@shop.example.test/health?code=abc#frag", "https://shop.example.test/health?***")]
    [InlineData("http://127.0.0.1:8080/smoke", "http://127.0.0.1:8080/smoke")]
    [InlineData("http://127.0.0.1:8080/smoke?", "http://127.0.0.1:8080/smoke")]
    [InlineData("https://user@shop.example.test/", "https://shop.example.test/")]
    [InlineData("not a url?key=1", "not a url?***")]
    [InlineData("x://user:pw@host/path?key=1", "x://host/path?***")]
    public void A_probe_url_is_shown_without_its_query_and_user_info(string url, string shown) =>
        Assert.Equal(shown, ProbeUrls.Redact(url));

    [Fact]
    public async Task The_audit_and_the_incident_show_probe_urls_redacted()
    {
        await using var h = await WorkflowHarness.StartAsync(settings =>
        {
            settings[$"Rollback:Components:{WorkflowHarness.Component}:SmokeProbes:0:Url"] = WithSecrets(settings, "SmokeProbes");
            settings[$"Rollback:Components:{WorkflowHarness.Component}:HealthChecks:0:Url"] = WithSecrets(settings, "HealthChecks");
            settings[$"Rollback:Components:{WorkflowHarness.Component}:HealthChecks:0:MaxAttempts"] = "2";
        });
        await h.SeedStandardReleasesAsync();
        h.Endpoints.Set(WorkflowHarness.HealthPath, new EndpointBehaviour(Status: 503, Body: "Unhealthy"));

        var id = (await h.StartedAsync()).RollbackId!;
        Assert.Equal(RollbackPhase.Failed, (await h.WaitForEndAsync(id)).Outcome);

        var (rollback, steps, _) = await h.TimelineAsync(id);
        var smoke = Assert.Single(steps, s => s.Name == "SmokeProbe:home" && s.Status == StepStatus.Passed);
        var health = Assert.Single(steps, s => s.Name == "HealthProbe:health" && s.Status == StepStatus.Failed);
        Assert.StartsWith(h.Endpoints.Url(WorkflowHarness.SmokePath).AbsoluteUri + ProbeUrls.RedactedQuery + ":", smoke.Detail, StringComparison.Ordinal);
        Assert.Contains($"({h.Endpoints.Url(WorkflowHarness.HealthPath).AbsoluteUri}{ProbeUrls.RedactedQuery})", health.Detail, StringComparison.Ordinal);
        var incident = Assert.Single(h.Incidents.Accepted);
        Assert.Contains(h.Endpoints.Url(WorkflowHarness.HealthPath).AbsoluteUri + ProbeUrls.RedactedQuery, incident.Text("reason"), StringComparison.Ordinal);

        var everything = string.Join('\n', steps.Select(s => s.Detail)) + rollback.OutcomeReason + incident.Body.GetRawText();
        Assert.DoesNotContain("probe-secret-123", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-pass", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-user", everything, StringComparison.Ordinal);

        // The probes themselves were called with their query: redaction is for what is shown only.
        Assert.True(h.Endpoints.Hits(WorkflowHarness.SmokePath) >= 1);
    }

    [Fact]
    public async Task The_dry_run_plan_shows_probe_urls_redacted()
    {
        await using var host = await IntakeTestHost.StartAsync(settings =>
            settings[$"Rollback:Components:{IntakeTestHost.Component}:SmokeProbes:0:Url"] = WithSecrets(settings, "SmokeProbes", IntakeTestHost.Component));
        await host.SeedReleasesAsync();

        using var response = await host.Http.GetAsync(new Uri("api/components/shop/rollback-plan", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var probe = (await IntakeTestHost.BodyAsync(response)).GetProperty("smokeProbes")[0];
        Assert.Equal(host.Endpoints.Url("/shop/smoke").AbsoluteUri + ProbeUrls.RedactedQuery, probe.GetProperty("url").GetString());
        Assert.DoesNotContain("probe-secret-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-pass", text, StringComparison.Ordinal);
    }

    /// <summary>The configured probe's address with user info and a secret query added.</summary>
    private static string WithSecrets(Dictionary<string, string?> settings, string kind, string component = WorkflowHarness.Component)
    {
        var url = new Uri(settings[$"Rollback:Components:{component}:{kind}:0:Url"]!);
        return $"{url.Scheme}://{Secrets}@{url.Authority}{url.AbsolutePath}?{QueryKey}";
    }
}
