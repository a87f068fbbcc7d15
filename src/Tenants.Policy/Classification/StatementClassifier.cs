namespace Tenants.Policy.Classification;

/// <summary>
/// Classifies a statement by its leading keyword, skipping whitespace, <c>--</c> comments and nested
/// <c>/* */</c> comments. This is the first, keyword-level classifier; statements it cannot place are
/// <see cref="StatementClass.Unknown"/> rather than guessed.
/// </summary>
public static class StatementClassifier
{
    private static readonly Dictionary<string, StatementClass> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SELECT"] = StatementClass.Read,
        ["VALUES"] = StatementClass.Read,
        ["TABLE"] = StatementClass.Read,
        ["SHOW"] = StatementClass.Read,
        ["EXPLAIN"] = StatementClass.Read,
        ["FETCH"] = StatementClass.Read,
        ["WITH"] = StatementClass.Read,
        ["INSERT"] = StatementClass.Write,
        ["UPDATE"] = StatementClass.Write,
        ["DELETE"] = StatementClass.Write,
        ["MERGE"] = StatementClass.Write,
        ["TRUNCATE"] = StatementClass.Write,
        ["COPY"] = StatementClass.Write,
        ["CREATE"] = StatementClass.Ddl,
        ["ALTER"] = StatementClass.Ddl,
        ["DROP"] = StatementClass.Ddl,
        ["COMMENT"] = StatementClass.Ddl,
        ["REINDEX"] = StatementClass.Ddl,
        ["GRANT"] = StatementClass.Dcl,
        ["REVOKE"] = StatementClass.Dcl,
        ["BEGIN"] = StatementClass.Tcl,
        ["START"] = StatementClass.Tcl,
        ["COMMIT"] = StatementClass.Tcl,
        ["END"] = StatementClass.Tcl,
        ["ROLLBACK"] = StatementClass.Tcl,
        ["ABORT"] = StatementClass.Tcl,
        ["SAVEPOINT"] = StatementClass.Tcl,
        ["RELEASE"] = StatementClass.Tcl,
        ["SET"] = StatementClass.Other,
        ["RESET"] = StatementClass.Other,
        ["DISCARD"] = StatementClass.Other,
        ["LISTEN"] = StatementClass.Other,
        ["UNLISTEN"] = StatementClass.Other,
        ["NOTIFY"] = StatementClass.Other,
        ["VACUUM"] = StatementClass.Other,
        ["ANALYZE"] = StatementClass.Other,
        ["CHECKPOINT"] = StatementClass.Other,
        ["DO"] = StatementClass.Other,
        ["CALL"] = StatementClass.Other,
        ["PREPARE"] = StatementClass.Other,
        ["EXECUTE"] = StatementClass.Other,
        ["DEALLOCATE"] = StatementClass.Other,
        ["DECLARE"] = StatementClass.Other,
        ["CLOSE"] = StatementClass.Other,
        ["LOCK"] = StatementClass.Other,
    };

    /// <summary>The class of the first statement in <paramref name="sql"/>.</summary>
    public static StatementClass Classify(ReadOnlySpan<char> sql)
    {
        var keyword = LeadingKeyword(sql);
        if (keyword.IsEmpty)
        {
            return StatementClass.Unknown;
        }

        var lookup = Keywords.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(keyword, out var statementClass) ? statementClass : StatementClass.Unknown;
    }

    /// <summary>The first keyword after whitespace and comments, or empty.</summary>
    public static ReadOnlySpan<char> LeadingKeyword(ReadOnlySpan<char> sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]) || sql[i] == '(')
            {
                i++;
            }
            else if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql[i..].IndexOf('\n');
                i = end < 0 ? sql.Length : i + end + 1;
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                i = SkipBlockComment(sql, i);
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < sql.Length && char.IsAsciiLetter(sql[i]))
        {
            i++;
        }

        return sql[start..i];
    }

    private static int SkipBlockComment(ReadOnlySpan<char> sql, int i)
    {
        // PostgreSQL block comments nest.
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }
}
