using System.Text.Json.Serialization;
using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// The data of a Health Resources <c>AvailabilityStatusChanged</c> event: <c>resourceInfo.properties.{targetResourceId,
/// availabilityState, previousAvailabilityState, occurredTime}</c>. Azure.Messaging.EventGrid 4.17.0 has no model for
/// it (newer system event models live in a package that is not available here). Azure's schema: other members are skipped.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record HealthResourcesData(HealthResourcesData.HealthResourceInfo? ResourceInfo = null)
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record HealthResourceInfo(HealthProperties? Properties = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record HealthProperties(
        string? TargetResourceId = null, string? AvailabilityState = null, string? PreviousAvailabilityState = null, DateTimeOffset? OccurredTime = null);

    public sealed class Validator : IntakeValidator<HealthResourcesData>
    {
        public Validator()
        {
            RuleFor(x => x.ResourceInfo).NotNull().WithMessage("is required.");
            RuleFor(x => x.ResourceInfo!.Properties).NotNull().WithMessage("is required.").OverridePropertyName("ResourceInfo.Properties").When(x => x.ResourceInfo is not null);
            When(x => x.ResourceInfo?.Properties is not null, () =>
            {
                RuleFor(x => x.ResourceInfo!.Properties!.TargetResourceId).NotNull().WithMessage("is required.").Reference().OverridePropertyName("ResourceInfo.Properties.TargetResourceId");
                RuleFor(x => x.ResourceInfo!.Properties!.AvailabilityState).NotNull().WithMessage("is required.").ShortText().OverridePropertyName("ResourceInfo.Properties.AvailabilityState");
                RuleFor(x => x.ResourceInfo!.Properties!.PreviousAvailabilityState).ShortText().OverridePropertyName("ResourceInfo.Properties.PreviousAvailabilityState");
            });
        }
    }
}
