using FluentValidation;
using RollbackFunctions.Intake;

namespace RollbackFunctions.Drills;

/// <summary>The body of <c>POST /api/drills</c>: <c>{component, requestedBy?}</c>.</summary>
public sealed record DrillBody(string Component, string? RequestedBy = null)
{
    public sealed class Validator : IntakeValidator<DrillBody>
    {
        public Validator()
        {
            RuleFor(x => x.Component).ComponentName();
            RuleFor(x => x.RequestedBy).ShortText();
        }
    }
}
