namespace Go1.Orders.Domain;

/// <summary>Collects every broken rule so a client learns all of them from one response.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds an error when <paramref name="value"/> cannot be stored (see <see cref="OrderLimits.IsStorable"/>) or is longer than <paramref name="max"/> characters.</summary>
    public void Text(string field, string? value, int max)
    {
        if (value is null)
        {
            return;
        }

        if (!OrderLimits.IsStorable(value))
        {
            Add(field, OrderLimits.NotStorable);
        }
        else if (value.Length > max)
        {
            Add(field, $"must be at most {max} characters");
        }
    }

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new OrderValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
