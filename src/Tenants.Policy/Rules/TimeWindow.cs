namespace Tenants.Policy.Rules;

/// <summary>
/// A weekly time window in a time zone: on <see cref="Days"/> (bit 0 Sunday .. bit 6 Saturday), from
/// <see cref="From"/> to <see cref="To"/> (minutes after local midnight; From &gt; To wraps past midnight and then
/// belongs to the day it starts on). <see cref="Outside"/> inverts it ("not": true).
/// </summary>
internal sealed class TimeWindow(int days, int? from, int? to, TimeZoneInfo zone, bool outside)
{
    public const int AllDays = 0x7F;

    public int Days { get; } = days;

    public int? From { get; } = from;

    public int? To { get; } = to;

    public TimeZoneInfo Zone { get; } = zone;

    public bool Outside { get; } = outside;

    public bool Contains(DateTimeOffset now)
    {
        var local = ReferenceEquals(Zone, TimeZoneInfo.Utc) ? now.UtcDateTime : TimeZoneInfo.ConvertTime(now, Zone).DateTime;
        var day = (int)local.DayOfWeek;
        var minute = (local.Hour * 60) + local.Minute;
        bool inside;
        if (From is not { } from || To is not { } to)
        {
            inside = OnDay(day);
        }
        else if (from < to)
        {
            inside = OnDay(day) && minute >= from && minute < to;
        }
        else
        {
            // Wraps midnight: the early hours belong to the window that started the evening before.
            inside = (minute >= from && OnDay(day)) || (minute < to && OnDay((day + 6) % 7));
        }

        return inside != Outside;
    }

    private bool OnDay(int day) => (Days & (1 << day)) != 0;
}
