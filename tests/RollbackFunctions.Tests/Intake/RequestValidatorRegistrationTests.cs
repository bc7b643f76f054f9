using System.Net;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using RollbackFunctions.Drills;
using RollbackFunctions.Intake;

namespace RollbackFunctions.Tests.Intake;

/// <summary>The request validators are found by FluentValidation's assembly scan: exactly one per body type, the route's.</summary>
public sealed class RequestValidatorRegistrationTests
{
    [Fact]
    public async Task Every_request_body_resolves_its_own_validator_and_a_release_route_is_not_checked_by_the_event_rules()
    {
        await using var host = await IntakeTestHost.StartAsync();

        var expected = new Dictionary<Type, Type>
        {
            [typeof(IValidator<PipelineRollbackBody>)] = typeof(PipelineRollbackBody.Validator),
            [typeof(IValidator<ReleaseBody>)] = typeof(ReleaseBody.Validator),
            [typeof(IValidator<ConfirmBody>)] = typeof(ConfirmBody.Validator),
            [typeof(IValidator<UnfreezeBody>)] = typeof(UnfreezeBody.Validator),
            [typeof(IValidator<AbortBody>)] = typeof(AbortBody.Validator),
            [typeof(IValidator<AzureMonitorAlertBody>)] = typeof(AzureMonitorAlertBody.Validator),
            [typeof(IValidator<TriggerEventData>)] = typeof(TriggerEventData.Validator),
            [typeof(IValidator<HealthResourcesData>)] = typeof(HealthResourcesData.Validator),
            [typeof(IValidator<SubscriptionValidationData>)] = typeof(SubscriptionValidationData.Validator),
            [typeof(IValidator<DrillBody>)] = typeof(DrillBody.Validator),
        };
        foreach (var (service, implementation) in expected)
        {
            var registered = host.Services.GetServices(service).Select(v => v!.GetType()).ToList();
            Assert.Equal([implementation], registered);
        }

        // The route's validator requires the status; the event's would take it from the event type and not ask.
        var response = await host.PostAsync("api/releases", new { component = "shop", version = "9.0.0", artifact = "registry.example.test/shop@sha256:" + new string('a', 64) });
        var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _), problem.ToString());
    }
}
