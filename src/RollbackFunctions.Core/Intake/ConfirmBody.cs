using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>The body of <c>POST /api/rollbacks/{id}/confirm</c>: <c>{operator, note?}</c>.</summary>
public sealed record ConfirmBody
{
    public required string Operator { get; init; }

    public string? Note { get; init; }

    public sealed class Validator : IntakeValidator<ConfirmBody>
    {
        public Validator()
        {
            RuleFor(x => x.Operator).ShortText();
            RuleFor(x => x.Note).LongText();
        }
    }
}
