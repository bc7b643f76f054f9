using System.Text.Json.Serialization;
using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The data of a <c>Rollback.Trigger.{Reason}</c> event: <c>{component, targetVersion?, details?, requestedBy?}</c>.</summary>
public sealed record TriggerEventData(string Component, string? TargetVersion = null, JsonElement? Details = null, string? RequestedBy = null)
{
    [JsonIgnore]
    public string? DetailsText => JsonText.Of(Details);

    public sealed class Validator : IntakeValidator<TriggerEventData>
    {
        public Validator()
        {
            RuleFor(x => x.Component).ComponentName();
            RuleFor(x => x.TargetVersion).VersionName();
            RuleFor(x => x.DetailsText).LongText().OverridePropertyName("details");
            RuleFor(x => x.RequestedBy).ShortText();
        }
    }
}
