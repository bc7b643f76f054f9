using System.Text.Json.Serialization;
using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The body of <c>POST /api/rollbacks</c>: <c>{component, reason, requestedBy, targetVersion?, correlationId?, details?}</c>.</summary>
/// <param name="Reason">A <see cref="TriggerReason"/> by its exact name (numbers and other casings are refused).</param>
/// <param name="Details">Any JSON value (API.md): a string stays a string, anything else is kept as JSON text.</param>
public sealed record PipelineRollbackBody(
    string Component, string Reason, string RequestedBy, string? TargetVersion = null, string? CorrelationId = null, JsonElement? Details = null)
{
    [JsonIgnore]
    public string? DetailsText => JsonText.Of(Details);

    public sealed class Validator : IntakeValidator<PipelineRollbackBody>
    {
        public Validator()
        {
            RuleFor(x => x.Component).ComponentName();
            RuleFor(x => x.Reason).OneOf<PipelineRollbackBody, TriggerReason>();
            RuleFor(x => x.RequestedBy).ShortText();
            RuleFor(x => x.TargetVersion).VersionName();
            RuleFor(x => x.CorrelationId).ShortText();
            RuleFor(x => x.DetailsText).LongText().OverridePropertyName("details");
        }
    }
}
