using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    private const int LongestKeyword = 13;

    private static readonly Dictionary<string, SqlKeyword> Keywords = BuildKeywords();

    private static readonly Dictionary<string, SqlKeyword>.AlternateLookup<ReadOnlySpan<char>> KeywordLookup =
        Keywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static SqlKeyword KeywordOf(ReadOnlySpan<char> word) =>
        word.Length <= LongestKeyword && KeywordLookup.TryGetValue(word, out var keyword) ? keyword : None;

    private static Dictionary<string, SqlKeyword> BuildKeywords()
    {
        var keywords = new Dictionary<string, SqlKeyword>(StringComparer.OrdinalIgnoreCase);
        foreach (var keyword in Enum.GetValues<SqlKeyword>())
        {
            if (keyword != None)
            {
                keywords[keyword.ToString()] = keyword;
            }
        }

        keywords["ANALYSE"] = Analyze;
        keywords["TEMPORARY"] = Temp;
        return keywords;
    }

    /// <summary>Words that can never be a bare relation name where one is expected (PostgreSQL reserves them).</summary>
    private static bool IsReserved(SqlKeyword word) => word is Select or Values or Table or With or From or Join or Into or Using
        or Only or Lateral or Where or Group or Having or Order or Limit or Offset or Union or Intersect or Except or Window
        or For or Returning or When or Then or On or As or Not or Distinct or All or Create or Grant or Analyze or Do or End
        or In or Or or To or Unique or Default or Constraint or References or False or True or Insert or Update or Delete
        or Merge;

    /// <summary>Words after which a parenthesis holds a function's arguments in which <c>FROM</c> is not a table list.</summary>
    private static bool TakesFromArgument(SqlKeyword word) => word is Extract or Substring or Trim or Overlay;

    /// <summary>Words that end a FROM (or USING) list at the depth they appear.</summary>
    private static bool EndsTableList(SqlKeyword word) => word is Where or Group or Having or Order or Limit or Offset or Fetch
        or Union or Intersect or Except or Window or For or Returning or Set or When or Select or Values or With;
}
