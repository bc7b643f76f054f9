using System.Text.Json.Serialization;
using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// The parts of an Azure Monitor common alert schema payload intake reads. Azure defines the schema and adds to it,
/// so members not named here are skipped, not refused. Nothing is required to the serializer: the schema id is
/// checked first, and a payload of another schema is told so rather than that it lacks our fields.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record AzureMonitorAlertBody(string? SchemaId = null, AzureMonitorAlertBody.AlertData? Data = null)
{
    public const string CommonAlertSchema = "azureMonitorCommonAlertSchema";

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record AlertData(AlertEssentials? Essentials = null, AlertCustomProperties? CustomProperties = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record AlertEssentials(
        string? AlertId = null, string? MonitorCondition = null, IReadOnlyList<string?>? AlertTargetIDs = null,
        string? AlertRule = null, string? Severity = null, string? SignalType = null, string? Description = null,
        DateTimeOffset? FiredDateTime = null, DateTimeOffset? ResolvedDateTime = null);

    /// <summary>The alert rule's custom properties intake understands: <c>component</c> and <c>reason</c>.</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    public sealed record AlertCustomProperties(string? Component = null, string? Reason = null);

    public sealed class Validator : IntakeValidator<AzureMonitorAlertBody>
    {
        public Validator()
        {
            RuleFor(x => x.SchemaId)
                .Equal(CommonAlertSchema)
                .WithMessage($"must be '{CommonAlertSchema}': only the Azure Monitor common alert schema is accepted; turn on 'Enable the common alert schema' for this action group's webhook.");
            When(x => x.SchemaId == CommonAlertSchema, () =>
                RuleFor(x => x.Data).NotNull().WithMessage("is required.").SetValidator(new DataValidator()!));
        }
    }

    private sealed class DataValidator : IntakeValidator<AlertData>
    {
        public DataValidator()
        {
            RuleFor(x => x.Essentials).NotNull().WithMessage("is required.").SetValidator(new EssentialsValidator()!);
            RuleFor(x => x.CustomProperties!.Component).ComponentName().OverridePropertyName("CustomProperties.Component").When(x => x.CustomProperties is not null);
            RuleFor(x => x.CustomProperties!.Reason).OneOf<AlertData, TriggerReason>().OverridePropertyName("CustomProperties.Reason").When(x => x.CustomProperties is not null);
        }
    }

    private sealed class EssentialsValidator : IntakeValidator<AlertEssentials>
    {
        public EssentialsValidator()
        {
            RuleFor(x => x.AlertId).NotNull().WithMessage("is required.").Reference();
            RuleFor(x => x.MonitorCondition)
                .NotNull().WithMessage($"is required: one of {string.Join(", ", Enum.GetNames<MonitorCondition>())}.")
                .OneOf<AlertEssentials, MonitorCondition>();

            // Shown to operators: an empty string counts as absent.
            RuleFor(x => Blank(x.AlertRule)).LongText().OverridePropertyName("AlertRule");
            RuleFor(x => Blank(x.Severity)).LongText().OverridePropertyName("Severity");
            RuleFor(x => Blank(x.SignalType)).LongText().OverridePropertyName("SignalType");
            RuleFor(x => Blank(x.Description)).LongText().OverridePropertyName("Description");
            RuleForEach(x => x.AlertTargetIDs).NotNull().WithMessage("must be a string.").Reference();
        }
    }

    /// <summary>Null for an empty or blank string.</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
