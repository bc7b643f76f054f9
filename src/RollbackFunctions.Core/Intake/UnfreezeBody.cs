using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// The body of <c>POST /api/components/{component}/unfreeze</c> (section 11: the incident and its analysis).
/// <c>operator</c>, where sent, must be the authenticated caller (<see cref="OperatorNames"/>).
/// </summary>
public sealed record UnfreezeBody(string IncidentRef, string Analysis, string? Operator = null)
{
    public sealed class Validator : IntakeValidator<UnfreezeBody>
    {
        public Validator()
        {
            RuleFor(x => x.Operator).ShortText();
            RuleFor(x => x.IncidentRef).ShortText();
            RuleFor(x => x.Analysis).LongText();
        }
    }
}
