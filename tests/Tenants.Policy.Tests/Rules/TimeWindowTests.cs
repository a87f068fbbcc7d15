using static Tenants.Policy.Tests.Rules.PolicyTestDocuments;

namespace Tenants.Policy.Tests.Rules;

/// <summary>Time windows through a deny rule: the statement is denied exactly when the window holds.</summary>
public sealed class TimeWindowTests
{
    private static bool Denied(string when, DateTimeOffset at) =>
        Compile($$"""{"id": "w", "effect": "deny", "kinds": ["read"], "when": {{when}}}""").Evaluate(Alice, Select("t"), at, false).Denied;

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(23, 8, 59, false)] // Monday 08:59
    [InlineData(23, 9, 0, true)]
    [InlineData(23, 16, 59, true)]
    [InlineData(23, 17, 0, false)] // the end is exclusive
    [InlineData(22, 12, 0, false)] // Sunday
    public void Window_WeekdayHours_HoldsInsideOnly(int day, int hour, int minute, bool denied)
    {
        Assert.Equal(denied, Denied("""{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}""", Utc(day, hour, minute)));
    }

    [Theory]
    [InlineData(27, 23, 0, true)] // Friday 23:00
    [InlineData(28, 1, 59, true)] // Saturday 01:59 belongs to Friday's window
    [InlineData(28, 2, 0, false)]
    [InlineData(28, 23, 0, false)] // Saturday evening: not a window day
    [InlineData(27, 1, 0, false)] // Friday 01:00 belongs to Thursday's window
    public void Window_FromAfterTo_WrapsMidnightFromItsStartDay(int day, int hour, int minute, bool denied)
    {
        Assert.Equal(denied, Denied("""{"days": ["friday"], "from": "22:00", "to": "02:00"}""", Utc(day, hour, minute)));
    }

    [Fact]
    public void Window_TimeZone_IsLocalTimeThere()
    {
        // 08:30 UTC on Monday 23 November 2026 is 09:30 in Berlin (CET) and 03:30 in New York (EST).
        const string berlin = """{"from": "09:00", "to": "10:00", "timeZone": "Europe/Berlin"}""";
        const string newYork = """{"days": ["mon"], "from": "03:00", "to": "04:00", "timeZone": "America/New_York"}""";

        Assert.True(Denied(berlin, Utc(23, 8, 30)));
        Assert.False(Denied(berlin, Utc(23, 9, 30)));
        Assert.True(Denied(newYork, Utc(23, 8, 30)));
        // Summer time: 08:30 UTC on 1 July is 10:30 in Berlin.
        Assert.False(Denied(berlin, new DateTimeOffset(2026, 7, 1, 8, 30, 0, TimeSpan.Zero)));
        Assert.True(Denied(berlin, new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Window_Not_HoldsOutsideTheWindow_AndAnyOfSeveralWindowsHolds()
    {
        const string outsideChangeWindow = """{"days": ["tue"], "from": "18:00", "to": "20:00", "not": true}""";
        const string weekend = """[{"days": ["sat", "sun"]}, {"from": "00:00", "to": "06:00"}]""";

        Assert.True(Denied(outsideChangeWindow, Utc(23, 19)));
        Assert.False(Denied(outsideChangeWindow, Utc(24, 19)));
        Assert.True(Denied(outsideChangeWindow, Utc(24, 20)));
        Assert.True(Denied(weekend, Utc(28, 12)));
        Assert.True(Denied(weekend, Utc(23, 5)));
        Assert.False(Denied(weekend, Utc(23, 12)));
    }

    [Fact]
    public void Window_OffsetOfTheInstant_DoesNotMatter()
    {
        var sameInstant = new DateTimeOffset(2026, 11, 23, 18, 30, 0, TimeSpan.FromHours(9)); // 09:30 UTC
        Assert.True(Denied("""{"from": "09:00", "to": "10:00"}""", sameInstant));
        Assert.True(Denied("""{"from": "09:00", "to": "24:00"}""", Utc(23, 23, 59)));
    }
}
