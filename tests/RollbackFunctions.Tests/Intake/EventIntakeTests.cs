using System.Net;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Tests.Intake;

public sealed class EventIntakeTests
{
    [Fact]
    public async Task Subscription_validation_event_is_answered_with_its_code()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var validation = new[]
        {
            Payloads.GridEvent("v-1", "Microsoft.EventGrid.SubscriptionValidationEvent", new { validationCode = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl = "https://rp.example.test/validate" }),
        };

        var response = await host.Http.PostAsync("api/events", IntakeTestHost.Json(validation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await IntakeTestHost.BodyAsync(response)).GetProperty("validationResponse").GetString());
        Assert.Equal(0, await host.EntityCountAsync());
    }

    [Fact]
    public async Task CloudEvents_abuse_protection_handshake_needs_no_key_and_allows_the_origin()
    {
        await using var host = await IntakeTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/events");
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        var response = await host.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Origin")));
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Rate")));

        using var withoutOrigin = new HttpRequestMessage(HttpMethod.Options, "api/events");
        await IntakeTestHost.ProblemAsync(await host.Anonymous.SendAsync(withoutOrigin), HttpStatusCode.BadRequest);

        // The POST of the same route still needs the key.
        await IntakeTestHost.ProblemAsync(await host.Anonymous.PostAsync("api/events", IntakeTestHost.Json("[]")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CloudEvents_release_batch_is_applied_and_a_redelivery_has_no_second_effect()
    {
        await using var host = await IntakeTestHost.StartAsync();
        var batch = new[]
        {
            Payloads.CloudEvent("rel-1", "Rollback.Release.Deployed", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d'), schemaVersion = "7" }),
            Payloads.CloudEvent("rel-2", "Rollback.Release.Verified", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d') }),
        };

        var response = await host.Http.PostAsync("api/events", IntakeTestHost.Json(batch, "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var applied = (await IntakeTestHost.BodyAsync(response)).GetProperty("applied");
        Assert.Equal("Created", applied[0].GetProperty("outcome").GetString());
        Assert.Equal("Updated", applied[1].GetProperty("outcome").GetString());
        var release = await host.Ledger.GetAsync("shop", "2.0.0");
        Assert.Equal(ReleaseStatus.Verified, release!.Status);
        var state = await host.Components.GetAsync("shop");
        Assert.Equal("2.0.0", state.CurrentVersion);
        Assert.Equal("2.0.0", state.LastKnownGoodVersion);
        var entities = await host.EntityCountAsync();

        var redelivered = await host.Http.PostAsync("api/events", IntakeTestHost.Json(batch, "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        var again = (await IntakeTestHost.BodyAsync(redelivered)).GetProperty("applied");
        Assert.All(again.EnumerateArray(), a => Assert.Equal("AlreadyApplied", a.GetProperty("outcome").GetString()));
        Assert.Equal(entities, await host.EntityCountAsync());
        Assert.Equal(release.UpdatedAt, (await host.Ledger.GetAsync("shop", "2.0.0"))!.UpdatedAt);
    }

    [Fact]
    public async Task Event_Grid_trigger_event_starts_a_rollback_once_however_often_it_is_delivered()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var trigger = Payloads.GridEvent("trig-1", "Rollback.Trigger.DefinitionOfDoneViolated", new { component = "shop", details = "DoD check 4 failed" });

        var first = await host.Http.PostAsync("api/events", IntakeTestHost.Json(new[] { trigger }));
        var second = await host.Http.PostAsync("api/events", IntakeTestHost.Json(trigger));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var applied = (await IntakeTestHost.BodyAsync(first)).GetProperty("applied")[0];
        Assert.Equal("Started", applied.GetProperty("outcome").GetString());
        var rollbackId = applied.GetProperty("rollbackId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("AlreadyApplied", (await IntakeTestHost.BodyAsync(second)).GetProperty("applied")[0].GetProperty("outcome").GetString());
        Assert.Equal(1, await host.InstanceCountAsync());

        var status = await host.WaitForPhaseAsync(rollbackId, RollbackPhase.AwaitingConfirmation);
        Assert.Equal("DefinitionOfDoneViolated", status.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Equal("EventGrid", status.GetProperty("trigger").GetProperty("source").GetString());
        Assert.Equal("trig-1", status.GetProperty("trigger").GetProperty("triggerId").GetString());
    }

    [Fact]
    public async Task The_same_event_id_for_two_components_is_two_triggers_in_one_batch_and_across_deliveries()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        await host.SeedReleasesAsync(IntakeTestHost.OtherComponent);

        // One batch carries the same id for both components; a later delivery repeats the id for each.
        var batch = new[]
        {
            Payloads.CloudEvent("shared-id", "Rollback.Trigger.RuntimeDeviation", new { component = IntakeTestHost.Component }),
            Payloads.CloudEvent("shared-id", "Rollback.Trigger.RuntimeDeviation", new { component = IntakeTestHost.OtherComponent }),
        };
        var first = await host.Http.PostAsync("api/events", IntakeTestHost.Json(batch, "application/cloudevents-batch+json"));
        var again = await host.Http.PostAsync("api/events", IntakeTestHost.Json(batch[1], "application/cloudevents+json"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var applied = (await IntakeTestHost.BodyAsync(first)).GetProperty("applied");
        Assert.Equal(["Started", "Started"], applied.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        var shop = applied[0].GetProperty("rollbackId").GetString();
        var cart = applied[1].GetProperty("rollbackId").GetString();
        Assert.NotEqual(shop, cart);
        Assert.Equal(shop, (await host.Components.GetAsync(IntakeTestHost.Component)).ActiveRollbackId);
        Assert.Equal(cart, (await host.Components.GetAsync(IntakeTestHost.OtherComponent)).ActiveRollbackId);
        Assert.Equal("AlreadyApplied", (await IntakeTestHost.BodyAsync(again)).GetProperty("applied")[0].GetProperty("outcome").GetString());
        Assert.Equal(2, await host.InstanceCountAsync());
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_is_refused_whole_naming_it_and_nothing_of_it_is_applied()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync();
        var entities = await host.EntityCountAsync();
        var batch = new object[]
        {
            Payloads.CloudEvent("ok-1", "Rollback.Release.Deployed", new { component = "shop", version = "3.0.0", artifact = IntakeTestHost.Digest('e') }),
            Payloads.CloudEvent("ok-2", "Rollback.Trigger.SmokeTestsFailed", new { component = "shop" }),
            Payloads.CloudEvent("bad-3", "Rollback.Release.Verified", new { component = "shop", version = "3.0/0", artifact = "shop:latest" }),
        };

        var response = await host.Http.PostAsync("api/events", IntakeTestHost.Json(batch, "application/cloudevents-batch+json"));

        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("events[2]", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("events[2] (id bad-3).data.version", fields);
        Assert.Contains("events[2] (id bad-3).data.artifact", fields);
        Assert.DoesNotContain(fields, f => f.StartsWith("events[0]", StringComparison.Ordinal));
        Assert.Null(await host.Ledger.GetAsync("shop", "3.0.0"));
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Equal(entities, await host.EntityCountAsync());
    }

    [Fact]
    public async Task Health_Resources_unavailable_for_a_mapped_resource_starts_a_HealthDegraded_rollback_other_states_are_recorded_only()
    {
        await using var host = await IntakeTestHost.StartAsync();
        await host.SeedReleasesAsync(IntakeTestHost.OtherComponent);

        var available = await host.Http.PostAsync("api/events", IntakeTestHost.Json(new[] { Payloads.HealthEvent("h-1", IntakeTestHost.CartResourceId, "Available", previous: "Unknown") }));
        var unmapped = await host.Http.PostAsync("api/events", IntakeTestHost.Json(new[] { Payloads.HealthEvent("h-2", "/subscriptions/s/resourceGroups/other/providers/Microsoft.Compute/virtualMachines/vm9", "Unavailable") }));

        Assert.Equal(HttpStatusCode.OK, available.StatusCode);
        Assert.Equal("Recorded", (await IntakeTestHost.BodyAsync(available)).GetProperty("applied")[0].GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, unmapped.StatusCode);
        Assert.Equal("Recorded", (await IntakeTestHost.BodyAsync(unmapped)).GetProperty("applied")[0].GetProperty("outcome").GetString());
        Assert.Equal(0, await host.InstanceCountAsync());
        var recorded = Assert.Single(await host.Signals.ListAsync(IntakeTestHost.OtherComponent, CancellationToken.None));
        Assert.Equal("Available", recorded.Fields["AvailabilityState"]);

        var degraded = await host.Http.PostAsync("api/events", IntakeTestHost.Json(new[] { Payloads.HealthEvent("h-3", IntakeTestHost.CartResourceId, "Unavailable") }));

        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        var applied = (await IntakeTestHost.BodyAsync(degraded)).GetProperty("applied")[0];
        Assert.Equal("Started", applied.GetProperty("outcome").GetString());
        Assert.Equal(IntakeTestHost.OtherComponent, applied.GetProperty("component").GetString());
        var status = await host.WaitForPhaseAsync(applied.GetProperty("rollbackId").GetString()!, RollbackPhase.AwaitingConfirmation);
        Assert.Equal("HealthDegraded", status.GetProperty("trigger").GetProperty("reason").GetString());
        Assert.Contains("Unavailable", status.GetProperty("trigger").GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_event_type_is_400_and_an_unconfigured_component_is_422()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var unknownType = await host.Http.PostAsync("api/events", IntakeTestHost.Json(Payloads.CloudEvent("u-1", "Rollback.Trigger.Panic", new { component = "shop" }), "application/cloudevents+json"));
        var problem = await IntakeTestHost.ProblemAsync(unknownType, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[0] (id u-1).type", out _));

        var unknownComponent = await host.Http.PostAsync("api/events", IntakeTestHost.Json(Payloads.CloudEvent("u-2", "Rollback.Trigger.RuntimeDeviation", new { component = "billing" }), "application/cloudevents+json"));
        await IntakeTestHost.ProblemAsync(unknownComponent, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await host.InstanceCountAsync());
        Assert.Equal(0, await host.EntityCountAsync());
    }
}
