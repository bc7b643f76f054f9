using System.Net;
using System.Text;
using System.Text.Json;

namespace RollbackFunctions.Tests.Intake;

/// <summary>
/// Bad requests across every route: each gets a 4xx problem details answer with a title, and afterwards no
/// orchestration was started and no entity was written in any table.
/// </summary>
public sealed class BadInputCorpusTests
{
    private sealed record BadRequest(string Name, HttpMethod Method, string Path, HttpContent? Content, HttpStatusCode Expected, string? ErrorField = null);

    private static StringContent Raw(string body, string? mediaType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = mediaType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static StringContent Json(object body, string mediaType = "application/json") => IntakeTestHost.Json(body, mediaType);

    /// <summary>Valid JSON one byte over the limit, optionally sent chunked (no Content-Length to trust).</summary>
    private static HttpContent Oversized(bool chunked)
    {
        var padding = new string('x', Intake_MaxBody - 20);
        var bytes = Encoding.UTF8.GetBytes($"{{\"pad\":\"{padding}\"}}");
        while (bytes.Length <= Intake_MaxBody)
        {
            bytes = [.. bytes[..^1], (byte)' ', (byte)'}'];
        }

        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private const int Intake_MaxBody = RollbackFunctions.Intake.IntakeLimits.MaxBodyBytes;

    private static Dictionary<string, object?> Alert(Action<Dictionary<string, object?>> change)
    {
        var essentials = new Dictionary<string, object?>
        {
            ["alertId"] = Payloads.AlertId("bad"),
            ["alertRule"] = "rule",
            ["monitorCondition"] = "Fired",
            ["alertTargetIDs"] = new[] { IntakeTestHost.ShopResourceId },
            ["firedDateTime"] = "2026-11-28T14:00:00Z",
        };
        var custom = new Dictionary<string, object?> { ["component"] = "shop" };
        var root = new Dictionary<string, object?> { ["schemaId"] = "azureMonitorCommonAlertSchema", ["data"] = new Dictionary<string, object?> { ["essentials"] = essentials, ["customProperties"] = custom } };
        change(new Dictionary<string, object?> { ["root"] = root, ["essentials"] = essentials, ["custom"] = custom });
        return root;
    }

    private static IEnumerable<BadRequest> Corpus()
    {
        var post = HttpMethod.Post;
        var get = HttpMethod.Get;
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);
        var release = (Func<Action<Dictionary<string, object?>>, object>)(change =>
        {
            var body = new Dictionary<string, object?> { ["component"] = "shop", ["version"] = "9.9.9", ["artifact"] = IntakeTestHost.Digest('9'), ["status"] = "Deployed" };
            change(body);
            return body;
        });
        var rollback = (Func<Action<Dictionary<string, object?>>, object>)(change =>
        {
            var body = new Dictionary<string, object?> { ["component"] = "shop", ["reason"] = "HealthDegraded", ["requestedBy"] = "pipeline" };
            change(body);
            return body;
        });

        // Alerts
        yield return new("alert malformed JSON", post, "api/alerts", Raw("{\"schemaId\": "), HttpStatusCode.BadRequest);
        yield return new("alert text/plain", post, "api/alerts", Raw("{}", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        yield return new("alert without content type", post, "api/alerts", Raw("{}", null), HttpStatusCode.UnsupportedMediaType);
        yield return new("alert UTF-16 charset", post, "api/alerts", Raw("{}", "application/json; charset=utf-16"), HttpStatusCode.UnsupportedMediaType);
        yield return new("alert empty body", post, "api/alerts", Raw(""), HttpStatusCode.BadRequest);
        yield return new("alert whitespace body", post, "api/alerts", Raw("  \n "), HttpStatusCode.BadRequest);
        yield return new("alert over 1 MiB", post, "api/alerts", Oversized(chunked: false), HttpStatusCode.RequestEntityTooLarge);
        yield return new("alert over 1 MiB chunked", post, "api/alerts", Oversized(chunked: true), HttpStatusCode.RequestEntityTooLarge);
        yield return new("alert activity log schema", post, "api/alerts", Json(new { schemaId = "Microsoft.Insights/activityLogs", data = new { context = new { } } }), HttpStatusCode.BadRequest, "schemaId");
        yield return new("alert without schemaId", post, "api/alerts", Json(new { data = new { essentials = new { alertId = "x" } } }), HttpStatusCode.BadRequest, "schemaId");
        yield return new("alert JSON array", post, "api/alerts", Raw("[1,2]"), HttpStatusCode.BadRequest);
        yield return new("alert without essentials", post, "api/alerts", Json(new { schemaId = "azureMonitorCommonAlertSchema", data = new { } }), HttpStatusCode.BadRequest, "data.essentials");
        yield return new("alert unknown monitorCondition", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["monitorCondition"] = "Acknowledged")), HttpStatusCode.BadRequest, "data.essentials.monitorCondition");
        yield return new("alert numeric alertId", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["alertId"] = 42)), HttpStatusCode.BadRequest, "data.essentials.alertId");
        yield return new("alert alertId with control character", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["alertId"] = "alert\u0001id")), HttpStatusCode.BadRequest, "data.essentials.alertId");
        yield return new("alert oversized alertId", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["alertId"] = new string('a', 2000))), HttpStatusCode.BadRequest, "data.essentials.alertId");
        yield return new("alert targets not an array", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["alertTargetIDs"] = "/subscriptions/x")), HttpStatusCode.BadRequest, "data.essentials.alertTargetIDs");
        yield return new("alert bad firedDateTime", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["essentials"]!)["firedDateTime"] = "yesterday")), HttpStatusCode.BadRequest, "data.essentials.firedDateTime");
        yield return new("alert component with slash", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["custom"]!)["component"] = "shop/web")), HttpStatusCode.BadRequest, "data.customProperties.component");
        yield return new("alert component with backslash", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["custom"]!)["component"] = "shop\\web")), HttpStatusCode.BadRequest, "data.customProperties.component");
        yield return new("alert unknown reason", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["custom"]!)["reason"] = "Panic")), HttpStatusCode.BadRequest, "data.customProperties.reason");
        yield return new("alert unknown component", post, "api/alerts", Json(Alert(p => ((Dictionary<string, object?>)p["custom"]!)["component"] = "billing")), HttpStatusCode.UnprocessableEntity);
        yield return new("alert unmappable target", post, "api/alerts", Json(Alert(p =>
        {
            ((Dictionary<string, object?>)p["custom"]!).Remove("component");
            ((Dictionary<string, object?>)p["essentials"]!)["alertTargetIDs"] = new[] { "/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/nope" };
        })), HttpStatusCode.UnprocessableEntity);
        yield return new("alert duplicate property", post, "api/alerts", Raw("{\"schemaId\":\"azureMonitorCommonAlertSchema\",\"schemaId\":\"azureMonitorCommonAlertSchema\",\"data\":{}}"), HttpStatusCode.BadRequest);
        yield return new("alert nested too deep", post, "api/alerts", Raw(deep), HttpStatusCode.BadRequest);

        // Events
        yield return new("event validation without code", post, "api/events", Json(new[] { Payloads.GridEvent("v", "Microsoft.EventGrid.SubscriptionValidationEvent", new { validationUrl = "https://x.example.test" }) }), HttpStatusCode.BadRequest);
        yield return new("event unknown type", post, "api/events", Json(new[] { Payloads.GridEvent("e1", "Contoso.Items.ItemReceived", new { component = "shop" }) }), HttpStatusCode.BadRequest);
        yield return new("event unknown trigger reason", post, "api/events", Json(Payloads.CloudEvent("e2", "Rollback.Trigger.Panic", new { component = "shop" }), "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event empty batch", post, "api/events", Raw("[]"), HttpStatusCode.BadRequest);
        yield return new("event scalar body", post, "api/events", Raw("42"), HttpStatusCode.BadRequest);
        yield return new("event XML", post, "api/events", Raw("<event/>", "application/xml"), HttpStatusCode.UnsupportedMediaType);
        yield return new("event CloudEvent without id", post, "api/events", Json(new { specversion = "1.0", source = "/x", type = "Rollback.Trigger.HealthDegraded", data = new { component = "shop" } }, "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event Event Grid without eventType", post, "api/events", Json(new[] { new { id = "e3", subject = "s", eventTime = "2026-11-28T14:00:00Z", dataVersion = "1", data = new { component = "shop" } } }), HttpStatusCode.BadRequest);
        yield return new("event component with hash", post, "api/events", Json(Payloads.CloudEvent("e4", "Rollback.Trigger.HealthDegraded", new { component = "shop#1" }), "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event component too long", post, "api/events", Json(Payloads.CloudEvent("e5", "Rollback.Trigger.HealthDegraded", new { component = new string('s', 101) }), "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event release with a tag, not a digest", post, "api/events", Json(Payloads.CloudEvent("e6", "Rollback.Release.Verified", new { component = "shop", version = "1.0.0", artifact = "registry.example.test/shop:latest" }), "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event release status contradicts type", post, "api/events", Json(Payloads.CloudEvent("e7", "Rollback.Release.Verified", new { component = "shop", version = "1.0.0", artifact = IntakeTestHost.Digest('1'), status = "Failed" }), "application/cloudevents+json"), HttpStatusCode.BadRequest);
        yield return new("event health without targetResourceId", post, "api/events", Json(new[] { Payloads.GridEvent("e8", "Microsoft.ResourceNotifications.HealthResources.AvailabilityStatusChanged", new { resourceInfo = new { properties = new { availabilityState = "Unavailable" } } }) }), HttpStatusCode.BadRequest);
        yield return new("event batch with one bad event", post, "api/events", Json(new[]
        {
            Payloads.CloudEvent("e9", "Rollback.Release.Deployed", new { component = "shop", version = "5.0.0", artifact = IntakeTestHost.Digest('5') }),
            Payloads.CloudEvent("e10", "Rollback.Trigger.HealthDegraded", new { component = "shop", targetVersion = "5.0.0?" }),
        }, "application/cloudevents-batch+json"), HttpStatusCode.BadRequest);
        yield return new("event trigger for unknown component", post, "api/events", Json(Payloads.CloudEvent("e11", "Rollback.Trigger.HealthDegraded", new { component = "billing" }), "application/cloudevents+json"), HttpStatusCode.UnprocessableEntity);
        yield return new("event over 1 MiB chunked", post, "api/events", Oversized(chunked: true), HttpStatusCode.RequestEntityTooLarge);

        // Pipeline rollbacks
        yield return new("rollback unknown reason", post, "api/rollbacks", Json(rollback(b => b["reason"] = "Whatever")), HttpStatusCode.BadRequest, "reason");
        yield return new("rollback numeric reason", post, "api/rollbacks", Json(rollback(b => b["reason"] = 2)), HttpStatusCode.BadRequest, "reason");
        yield return new("rollback lower-case reason", post, "api/rollbacks", Json(rollback(b => b["reason"] = "healthdegraded")), HttpStatusCode.BadRequest, "reason");
        yield return new("rollback without requestedBy", post, "api/rollbacks", Json(rollback(b => b.Remove("requestedBy"))), HttpStatusCode.BadRequest, "requestedBy");
        yield return new("rollback without component", post, "api/rollbacks", Json(rollback(b => b.Remove("component"))), HttpStatusCode.BadRequest, "component");
        yield return new("rollback targetVersion with question mark", post, "api/rollbacks", Json(rollback(b => b["targetVersion"] = "1.0?x")), HttpStatusCode.BadRequest, "targetVersion");
        yield return new("rollback component with backslash", post, "api/rollbacks", Json(rollback(b => b["component"] = "shop\\x")), HttpStatusCode.BadRequest, "component");
        yield return new("rollback oversized details", post, "api/rollbacks", Json(rollback(b => b["details"] = new string('d', 5000))), HttpStatusCode.BadRequest, "details");
        yield return new("rollback requestedBy with bell", post, "api/rollbacks", Json(rollback(b => b["requestedBy"] = "ci\u0007")), HttpStatusCode.BadRequest, "requestedBy");
        yield return new("rollback correlationId object", post, "api/rollbacks", Json(rollback(b => b["correlationId"] = new { id = 1 })), HttpStatusCode.BadRequest, "correlationId");
        yield return new("rollback unknown component", post, "api/rollbacks", Json(rollback(b => b["component"] = "billing")), HttpStatusCode.UnprocessableEntity);
        yield return new("rollback form post", post, "api/rollbacks", new FormUrlEncodedContent([new("component", "shop")]), HttpStatusCode.UnsupportedMediaType);

        // Releases
        yield return new("release unknown status", post, "api/releases", Json(release(b => b["status"] = "Promoted")), HttpStatusCode.BadRequest, "status");
        yield return new("release mutable tag", post, "api/releases", Json(release(b => b["artifact"] = "registry.example.test/shop:1.0.0")), HttpStatusCode.BadRequest, "artifact");
        yield return new("release version with control character", post, "api/releases", Json(release(b => b["version"] = "1.0\u001b")), HttpStatusCode.BadRequest, "version");
        yield return new("release without artifact", post, "api/releases", Json(release(b => b.Remove("artifact"))), HttpStatusCode.BadRequest, "artifact");
        yield return new("release version too long", post, "api/releases", Json(release(b => b["version"] = new string('1', 101))), HttpStatusCode.BadRequest, "version");
        yield return new("release unknown component", post, "api/releases", Json(release(b => b["component"] = "billing")), HttpStatusCode.UnprocessableEntity);

        // Reading
        yield return new("history limit zero", get, "api/rollbacks?limit=0", null, HttpStatusCode.BadRequest, "limit");
        yield return new("history limit not a number", get, "api/rollbacks?limit=ten", null, HttpStatusCode.BadRequest, "limit");
        yield return new("history component with hash", get, "api/rollbacks?component=sh%23op", null, HttpStatusCode.BadRequest, "component");
        yield return new("history unknown component", get, "api/rollbacks?component=billing", null, HttpStatusCode.UnprocessableEntity);
        yield return new("status id with question mark", get, "api/rollbacks/bad%3Fid", null, HttpStatusCode.BadRequest, "id");
        yield return new("status unknown rollback", get, "api/rollbacks/shop-20260101000000-0000000000", null, HttpStatusCode.NotFound);
        yield return new("component unknown", get, "api/components/billing", null, HttpStatusCode.UnprocessableEntity);
        yield return new("ledger component with space", get, "api/releases/my%20shop", null, HttpStatusCode.BadRequest, "component");
        yield return new("plan targetVersion with slash", get, "api/components/shop/rollback-plan?targetVersion=a%2Fb", null, HttpStatusCode.BadRequest, "targetVersion");

        // Operator actions
        // Without operator a confirm is valid (the caller's identity is recorded); a wrong type is not.
        yield return new("confirm operator number", post, "api/rollbacks/shop-1/confirm", Json(new { @operator = 7, note = "ok" }), HttpStatusCode.BadRequest, "operator");
        yield return new("confirm unknown rollback", post, "api/rollbacks/shop-1/confirm", Json(new { @operator = "oncall" }), HttpStatusCode.NotFound);
        yield return new("unfreeze without incidentRef", post, "api/components/shop/unfreeze", Json(new { @operator = "lead", analysis = "x" }), HttpStatusCode.BadRequest, "incidentRef");
        yield return new("unfreeze empty analysis", post, "api/components/shop/unfreeze", Json(new { @operator = "lead", incidentRef = "INC-1", analysis = "  " }), HttpStatusCode.BadRequest, "analysis");
        yield return new("unfreeze operator number", post, "api/components/shop/unfreeze", Json(new { @operator = 7, incidentRef = "INC-1", analysis = "x" }), HttpStatusCode.BadRequest, "operator");
        yield return new("unfreeze a component that is not frozen", post, "api/components/shop/unfreeze", Json(new { @operator = "lead", incidentRef = "INC-1", analysis = "x" }), HttpStatusCode.Conflict);
        yield return new("unfreeze unknown component", post, "api/components/billing/unfreeze", Json(new { @operator = "lead", incidentRef = "INC-1", analysis = "x" }), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Every_bad_request_gets_4xx_problem_details_and_afterwards_nothing_was_started_or_written()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var corpus = Corpus().ToList();
        Assert.True(corpus.Count >= 40, $"the corpus has {corpus.Count} requests");
        Assert.Equal(corpus.Count, corpus.Select(c => c.Name).Distinct().Count());

        var failures = new List<string>();
        foreach (var bad in corpus)
        {
            using var request = new HttpRequestMessage(bad.Method, bad.Path) { Content = bad.Content };
            using var response = await host.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != bad.Expected)
            {
                failures.Add($"{bad.Name}: expected {(int)bad.Expected}, got {(int)response.StatusCode}: {text}");
                continue;
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{bad.Name}: content type {response.Content.Headers.ContentType}");
                continue;
            }

            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            if (!problem.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()) || problem.GetProperty("status").GetInt32() != (int)bad.Expected)
            {
                failures.Add($"{bad.Name}: no title or wrong status in {text}");
            }
            else if (bad.ErrorField is not null && !(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(bad.ErrorField, out _)))
            {
                failures.Add($"{bad.Name}: 'errors' does not name '{bad.ErrorField}': {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Equal(0, await host.EntityCountAsync());
    }
}
