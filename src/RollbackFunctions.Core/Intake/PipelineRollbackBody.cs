using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>The body of <c>POST /api/rollbacks</c>: <c>{component, reason, requestedBy, targetVersion?, correlationId?, details?}</c>.</summary>
public sealed record PipelineRollbackBody
{
    public required string Component { get; init; }

    /// <summary>A <see cref="TriggerReason"/> by its exact name (numbers and other casings are refused).</summary>
    public required string Reason { get; init; }

    public required string RequestedBy { get; init; }

    public string? TargetVersion { get; init; }

    public string? CorrelationId { get; init; }

    public JsonElement? Details { get; init; }

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
