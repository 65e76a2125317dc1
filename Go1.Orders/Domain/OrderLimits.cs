namespace Go1.Orders.Domain;

/// <summary>Size bounds on what a client may send, so one order can never bloat a row, an event or a cache entry.</summary>
public static class OrderLimits
{
    public const int IdLength = 64;
    public const int PhoneLength = 32;
    public const int NameLength = 128;
    public const int AddressLength = 500;
    public const int CodeLength = 64;
    public const int PlatformLength = 32;
    public const int MaxPoints = 12;
    public const int MaxPaymentConfigEntries = 20;
    public const int PaymentConfigValueLength = 256;
    public const int MaxMetadataBytes = 4096;
    public const string NotStorable = "must not contain U+0000 or an unpaired surrogate: it cannot be stored";
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(30);

    /// <summary>Whether PostgreSQL can store <paramref name="text"/>: text and jsonb refuse U+0000, and UTF-8 has no lone surrogates.</summary>
    public static bool IsStorable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || char.IsLowSurrogate(c) || (char.IsHighSurrogate(c) && (++i >= text.Length || !char.IsLowSurrogate(text[i]))))
            {
                return false;
            }
        }

        return true;
    }
}
