using System.Text.Json.Serialization;
using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The data of Event Grid's <c>SubscriptionValidationEvent</c> (Azure's schema: other members are skipped).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record SubscriptionValidationData(string? ValidationCode = null, string? ValidationUrl = null)
{
    public sealed class Validator : IntakeValidator<SubscriptionValidationData>
    {
        public Validator() => RuleFor(x => x.ValidationCode).NotNull().WithMessage("is required.").ShortText();
    }
}
