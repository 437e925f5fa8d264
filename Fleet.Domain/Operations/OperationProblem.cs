namespace Fleet.Domain.Operations;

/// <summary>One thing wrong with an operation request; <see cref="Location"/> is the path of the field, as FastAPI reports it.</summary>
public sealed record OperationProblem(IReadOnlyList<object> Location, string Message)
{
    public static OperationProblem At(string message, params object[] location) => new(["body", .. location], message);
}
