using System.Net;
using System.Text;

namespace RollbackFunctions.Tests.Intake;

/// <summary>
/// Answers that were wrong (issue 13), over real HTTP on the dev host's pipeline: invalid UTF-8, unknown routes and
/// methods, names with a trailing newline, and storage refusals told apart from storage outages.
/// </summary>
public sealed class WrongAnswerTests
{
    /// <summary>Every JSON POST route with a body whose strings hold a byte sequence that is not UTF-8.</summary>
    public static TheoryData<string, string> JsonPostRoutes => new()
    {
        { "api/alerts", "{\"schemaId\":\"azureMonitorCommonAlertSchema\",\"data\":{\"essentials\":{\"alertId\":\"a-\u00ff\",\"monitorCondition\":\"Fired\"},\"customProperties\":{\"component\":\"shop\"}}}" },
        { "api/events", "[{\"specversion\":\"1.0\",\"id\":\"e-\u00ff\",\"source\":\"/x\",\"type\":\"Rollback.Trigger.HealthDegraded\",\"data\":{\"component\":\"shop\"}}]" },
        { "api/rollbacks", "{\"component\":\"shop\",\"reason\":\"HealthDegraded\",\"requestedBy\":\"ci-\u00ff\"}" },
        { "api/releases", "{\"component\":\"shop\",\"version\":\"9.9.9\",\"artifact\":\"a\",\"status\":\"Deployed\",\"commit\":\"c-\u00ff\"}" },
        { "api/rollbacks/shop-1/confirm", "{\"operator\":\"op-\u00ff\"}" },
        { "api/components/shop/unfreeze", "{\"operator\":\"op-\u00ff\",\"incidentRef\":\"INC-1\",\"analysis\":\"x\"}" },
    };

    /// <summary>The body with every U+00FF replaced by 0xC3 0x28: a lead byte followed by a byte that cannot continue it.</summary>
    private static ByteArrayContent InvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        for (var i = 0; i < bytes.Count - 1; i++)
        {
            if (bytes[i] == 0xC3 && bytes[i + 1] == 0xBF)
            {
                bytes[i + 1] = 0x28;
            }
        }

        var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    [Theory]
    [MemberData(nameof(JsonPostRoutes))]
    public async Task Invalid_UTF8_in_a_string_is_400_problem_details_and_nothing_is_written(string path, string json)
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.Http.PostAsync(path, InvalidUtf8(json));

        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Equal(0, await host.EntityCountAsync());
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_is_400_naming_the_field()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.Http.PostAsync("api/rollbacks", IntakeTestHost.Json("{\"component\":\"shop\",\"reason\":\"HealthDegraded\",\"requestedBy\":\"ci\\ud800\"}"));

        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("requestedBy", out _), problem.ToString());
        Assert.Equal(0, await host.InstanceCountAsync());
    }

    public static TheoryData<string, string, HttpStatusCode> UnknownRoutes => new()
    {
        { "DELETE", "api/rollbacks", HttpStatusCode.MethodNotAllowed },
        { "PUT", "api/releases", HttpStatusCode.MethodNotAllowed },
        { "PATCH", "api/components/shop", HttpStatusCode.MethodNotAllowed },
        { "GET", "api/nothing-here", HttpStatusCode.NotFound },
        { "POST", "api/rollbacks/shop-1/cancel-everything", HttpStatusCode.NotFound },
        { "GET", "not-the-api", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(UnknownRoutes))]
    public async Task An_unknown_method_or_path_is_401_without_a_key_and_problem_details_with_one(string method, string path, HttpStatusCode expected)
    {
        await using var host = await IntakeTestHost.StartAsync();

        using var anonymous = await host.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var keyed = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await IntakeTestHost.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        var problem = await IntakeTestHost.ProblemAsync(keyed, expected);
        Assert.Contains(method, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        if (expected == HttpStatusCode.MethodNotAllowed)
        {
            Assert.NotEmpty(keyed.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task A_key_in_the_query_opens_unknown_routes_like_known_ones()
    {
        await using var host = await IntakeTestHost.StartAsync();

        using var keyed = await host.Anonymous.DeleteAsync($"api/rollbacks?code={IntakeTestHost.ApiKey}");

        await IntakeTestHost.ProblemAsync(keyed, HttpStatusCode.MethodNotAllowed);
    }

    public static TheoryData<string, object, string> TrailingNewlines => new()
    {
        { "api/releases", new { component = "shop", version = "9.9.9\n", artifact = IntakeTestHost.Digest('9'), status = "Deployed" }, "version" },
        { "api/releases", new { component = "shop\n", version = "9.9.9", artifact = IntakeTestHost.Digest('9'), status = "Deployed" }, "component" },
        { "api/rollbacks", new { component = "shop\n", reason = "HealthDegraded", requestedBy = "ci" }, "component" },
        { "api/rollbacks", new { component = "shop", reason = "HealthDegraded", requestedBy = "ci", targetVersion = "1.0.0\n" }, "targetVersion" },
    };

    [Theory]
    [MemberData(nameof(TrailingNewlines))]
    public async Task A_component_or_version_with_a_trailing_newline_is_400_naming_it(string path, object body, string field)
    {
        await using var host = await IntakeTestHost.StartAsync();

        var response = await host.PostAsync(path, body);

        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Equal(0, await host.EntityCountAsync());
    }

    [Fact]
    public async Task A_path_component_with_a_trailing_newline_is_400()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var problem = await IntakeTestHost.ProblemAsync(await host.Http.GetAsync("api/releases/shop%0A"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("component", out _));
    }

    /// <summary>Storage status, its error code, our answer, and whether the answer says "retry".</summary>
    public static TheoryData<int, string, HttpStatusCode, bool> StorageRefusals => new()
    {
        { 400, "InvalidInput", HttpStatusCode.BadRequest, false },
        { 409, "EntityAlreadyExists", HttpStatusCode.Conflict, false },
        { 403, "AuthorizationPermissionMismatch", HttpStatusCode.InternalServerError, false },
        { 503, "ServerBusy", HttpStatusCode.ServiceUnavailable, true },
        { 429, "TooManyRequests", HttpStatusCode.ServiceUnavailable, true },
    };

    [Theory]
    [MemberData(nameof(StorageRefusals))]
    public async Task A_storage_refusal_maps_to_what_it_means_and_only_an_outage_says_retry(int storageStatus, string errorCode, HttpStatusCode expected, bool retry)
    {
        await using var storage = await RefusingTableStorage.StartAsync(storageStatus, errorCode);
        await using var host = await IntakeTestHost.StartAsync(settings => settings["RollbackStorage"] = storage.ConnectionString);

        var release = await host.PostAsync("api/releases", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d'), status = "Deployed" });
        var alert = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("storage-" + storageStatus)));

        Assert.True(storage.Requests > 0, "the stand-in was never asked");
        foreach (var response in new[] { release, alert })
        {
            var problem = await IntakeTestHost.ProblemAsync(response, expected);
            Assert.Contains("Table Storage", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal(retry, response.Headers.RetryAfter is not null);
            if (!retry)
            {
                Assert.Contains(errorCode, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, await host.InstanceCountAsync());
    }

    [Fact]
    public async Task A_storage_that_stops_answering_is_a_503_with_retry_within_the_answer_deadline_and_nothing_is_applied()
    {
        await using var storage = await RefusingTableStorage.StartHangingAsync();
        await using var host = await IntakeTestHost.StartAsync(settings =>
        {
            settings["RollbackStorage"] = storage.ConnectionString;
            settings["RollbackApi:AnswerWithin"] = "00:00:01";
        });

        foreach (var (path, body) in new (string, object)[]
        {
            ("api/alerts", Payloads.Alert(Payloads.AlertId("storage-hangs"))),
            ("api/releases", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d'), status = "Deployed" }),
        })
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var response = await host.PostAsync(path, body);
            started.Stop();

            var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("unavailable", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            // The deadline is 1 s; the storage client alone would have waited 4 x 10 s.
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(6), $"{path} answered after {started.Elapsed}");
        }

        Assert.True(storage.Requests > 0, "the stand-in was never asked");
        Assert.Equal(0, await host.InstanceCountAsync());
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:02:00")]
    public async Task An_answer_deadline_outside_1_to_60_seconds_stops_the_host_at_start(string within)
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            IntakeTestHost.StartAsync(settings => settings["RollbackApi:AnswerWithin"] = within));
        Assert.Contains("RollbackApi:AnswerWithin", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/releases", """{"component":"shop"}""", "version,artifact")]
    [InlineData("api/rollbacks", """{"reason":"HealthDegraded","requestedBy":5}""", "requestedBy,component")]
    [InlineData("api/components/shop/unfreeze", "{}", "incidentRef,analysis")]
    public async Task A_body_missing_several_required_fields_names_every_one_of_them(string path, string json, string fields)
    {
        await using var host = await IntakeTestHost.StartAsync();

        var problem = await IntakeTestHost.ProblemAsync(await host.Http.PostAsync(path, IntakeTestHost.Json(json)), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.All(fields.Split(','), field => Assert.True(errors.TryGetProperty(field, out _), $"errors has no '{field}': {errors}"));
    }

    [Theory]
    [InlineData("""{"component":""")]
    [InlineData("""{"a":1}{"b":2}""")]
    public async Task A_body_cut_short_or_followed_by_more_is_not_valid_JSON_rather_than_a_field_error(string json)
    {
        await using var host = await IntakeTestHost.StartAsync();

        var problem = await IntakeTestHost.ProblemAsync(await host.Http.PostAsync("api/releases", IntakeTestHost.Json(json)), HttpStatusCode.BadRequest);

        Assert.Contains("not valid JSON", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "api/rollbacks")]
    [InlineData("POST", "api/alerts")]
    [InlineData("GET", "api/no-such-route")]
    public async Task A_401_says_which_credentials_it_takes_in_WWW_Authenticate(string method, string path)
    {
        await using var host = await IntakeTestHost.StartAsync();

        using var response = await host.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? IntakeTestHost.Json("{}") : null });

        await IntakeTestHost.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
        Assert.Contains("x-functions-key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
