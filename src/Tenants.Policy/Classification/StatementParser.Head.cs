using Tenants.Policy.Lexing;
using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    /// <summary>
    /// The head of a statement: leading parentheses, <c>EXPLAIN</c> and its options, the <c>WITH</c> list, then the command
    /// as PostgreSQL's command tag names it and its kind.
    /// </summary>
    private static Head ReadHead(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens)
    {
        var p = SkipOpenParens(tokens, 0);
        var explain = false;
        var analyze = false;
        while (Is(tokens, p, Explain))
        {
            explain = true;
            p++;
            if (Is(tokens, p, SqlTokenKind.LeftParen))
            {
                var end = After(tokens, p);
                for (var k = p + 1; k < end - 1; k++)
                {
                    analyze |= tokens[k].Word == Analyze && !IsOff(sql, tokens, k + 1);
                }

                p = end;
            }

            while (Is(tokens, p, Analyze) || Is(tokens, p, Verbose))
            {
                analyze |= tokens[p].Word == Analyze;
                p++;
            }

            p = SkipOpenParens(tokens, p);
        }

        var dataModifyingCte = false;
        if (Is(tokens, p, With))
        {
            p = SkipOpenParens(tokens, SkipWith(tokens, p, ref dataModifyingCte));
        }

        var head = Command(sql, tokens, p);
        head.Index = p;
        head.DataModifyingCte = dataModifyingCte;
        if (head.Kind == StatementClass.Read && dataModifyingCte)
        {
            head.Kind = StatementClass.Write;
        }

        if (explain)
        {
            head.Kind = analyze && head.Kind is StatementClass.Write or StatementClass.Ddl ? head.Kind : StatementClass.Read;
            head.Command = "EXPLAIN";
            head.Explain = true;
        }

        return head;
    }

    private static int SkipOpenParens(ReadOnlySpan<Token> tokens, int p)
    {
        while (Is(tokens, p, SqlTokenKind.LeftParen))
        {
            p++;
        }

        return p;
    }

    /// <summary>An EXPLAIN option's value that turns it off: false, off or 0.</summary>
    private static bool IsOff(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int k) =>
        k < tokens.Length && (tokens[k].Word is False or Off || (tokens[k].Kind == SqlTokenKind.Number && tokens[k].Text(sql) is "0"));

    /// <summary>
    /// Skips <c>WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] ( body ) [SEARCH ...|CYCLE ...], ...</c> and returns
    /// the index of the main statement; notes a body that is an INSERT, UPDATE, DELETE or MERGE.
    /// </summary>
    private static int SkipWith(ReadOnlySpan<Token> tokens, int p, ref bool dataModifyingCte)
    {
        p++;
        if (Is(tokens, p, Recursive))
        {
            p++;
        }

        while (p < tokens.Length)
        {
            p++;
            if (Is(tokens, p, SqlTokenKind.LeftParen))
            {
                p = After(tokens, p);
            }

            if (!Is(tokens, p, As))
            {
                return p;
            }

            p++;
            if (Is(tokens, p, Not))
            {
                p++;
            }

            if (Is(tokens, p, Materialized))
            {
                p++;
            }

            if (!Is(tokens, p, SqlTokenKind.LeftParen))
            {
                return p;
            }

            var body = SkipOpenParens(tokens, p + 1);
            dataModifyingCte |= body < tokens.Length && IsWriteHead(tokens[body].Word);
            p = After(tokens, p);

            p = SkipCteClauses(tokens, p);
            if (!Is(tokens, p, SqlTokenKind.Comma))
            {
                return p;
            }

            p++;
        }

        return p;
    }

    /// <summary>
    /// Skips a CTE's SEARCH and CYCLE clauses (<c>SEARCH DEPTH FIRST BY a, b SET seq</c>): up to the comma that starts
    /// the next CTE (<c>, name [(cols)] AS</c>) or to the main statement.
    /// </summary>
    private static int SkipCteClauses(ReadOnlySpan<Token> tokens, int p)
    {
        while (p < tokens.Length && !IsMainHead(tokens[p]) && !(tokens[p].Kind == SqlTokenKind.Comma && IsCteStart(tokens, p + 1)))
        {
            p = tokens[p].Kind == SqlTokenKind.LeftParen ? After(tokens, p) : p + 1;
        }

        return p;
    }

    private static bool IsCteStart(ReadOnlySpan<Token> tokens, int j) =>
        j < tokens.Length && tokens[j].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier
        && (Is(tokens, j + 1, As) || (Is(tokens, j + 1, SqlTokenKind.LeftParen) && Is(tokens, After(tokens, j + 1), As)));

    private static bool IsMainHead(Token token) =>
        token.Kind == SqlTokenKind.LeftParen || token.Word is Select or Values or Table or Insert or Update or Delete or Merge;

    private static Head Command(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int p)
    {
        if (p >= tokens.Length)
        {
            return Head.Unknown;
        }

        var word = tokens[p].Word;
        var next = p + 1 < tokens.Length ? tokens[p + 1].Word : None;
        return word switch
        {
            Select => FindTopLevel(tokens, p + 1, Into) >= 0 ? new("SELECT INTO", StatementClass.Ddl, word) : new("SELECT", StatementClass.Read, word),
            Values or Table => new("SELECT", StatementClass.Read, word),
            Insert => new("INSERT", StatementClass.Write, word),
            Update => new("UPDATE", StatementClass.Write, word),
            Delete => new("DELETE", StatementClass.Write, word),
            Merge => new("MERGE", StatementClass.Write, word),
            Copy => new("COPY", CopyKind(tokens, p), word),
            Truncate => new("TRUNCATE TABLE", StatementClass.Write, word),
            Create or Alter or Drop => ObjectCommand(sql, tokens, p),
            Comment => new("COMMENT", StatementClass.Ddl, word),
            Security => new("SECURITY LABEL", StatementClass.Ddl, word),
            Reindex => new("REINDEX", StatementClass.Ddl, word),
            Refresh => new("REFRESH MATERIALIZED VIEW", StatementClass.Write, word),
            Import => new("IMPORT FOREIGN SCHEMA", StatementClass.Ddl, word),
            Grant => FindTopLevel(tokens, p + 1, On) >= 0 ? new("GRANT", StatementClass.Dcl, word) : new("GRANT ROLE", StatementClass.Dcl, word),
            Revoke => FindTopLevel(tokens, p + 1, On) >= 0 ? new("REVOKE", StatementClass.Dcl, word) : new("REVOKE ROLE", StatementClass.Dcl, word),
            Reassign => new("REASSIGN OWNED", StatementClass.Dcl, word),
            Begin => new("BEGIN", StatementClass.Tcl, word),
            Start => new("START TRANSACTION", StatementClass.Tcl, word),
            Commit => next == Prepared ? new("COMMIT PREPARED", StatementClass.Tcl, word) : new("COMMIT", StatementClass.Tcl, word),
            End => new("COMMIT", StatementClass.Tcl, word),
            Rollback => next == Prepared ? new("ROLLBACK PREPARED", StatementClass.Tcl, word) : new("ROLLBACK", StatementClass.Tcl, word),
            Abort => new("ROLLBACK", StatementClass.Tcl, word),
            Savepoint => new("SAVEPOINT", StatementClass.Tcl, word),
            Release => new("RELEASE", StatementClass.Tcl, word),
            Prepare => next == Transaction ? new("PREPARE TRANSACTION", StatementClass.Tcl, word) : new("PREPARE", StatementClass.Other, word),
            Set => next == Constraints ? new("SET CONSTRAINTS", StatementClass.Other, word) : new("SET", StatementClass.Other, word),
            Reset => new("RESET", StatementClass.Other, word),
            Show => new("SHOW", StatementClass.Read, word),
            Discard => new(DiscardCommand(sql, tokens, p + 1), StatementClass.Other, word),
            Listen => new("LISTEN", StatementClass.Other, word),
            Unlisten => new("UNLISTEN", StatementClass.Other, word),
            Notify => new("NOTIFY", StatementClass.Other, word),
            Vacuum => new("VACUUM", StatementClass.Other, word),
            Analyze => new("ANALYZE", StatementClass.Other, word),
            Checkpoint => new("CHECKPOINT", StatementClass.Other, word),
            Do => new("DO", StatementClass.Other, word),
            Call => new("CALL", StatementClass.Other, word),
            Execute => new("EXECUTE", StatementClass.Other, word),
            Deallocate => next == All || (next == Prepare && Is(tokens, p + 2, All))
                ? new("DEALLOCATE ALL", StatementClass.Other, word)
                : new("DEALLOCATE", StatementClass.Other, word),
            Declare => new("DECLARE CURSOR", StatementClass.Other, word),
            Close => next == All ? new("CLOSE CURSOR ALL", StatementClass.Other, word) : new("CLOSE CURSOR", StatementClass.Other, word),
            Fetch => new("FETCH", StatementClass.Read, word),
            Move => new("MOVE", StatementClass.Other, word),
            SqlKeyword.Lock => new("LOCK TABLE", StatementClass.Other, word),
            Cluster => new("CLUSTER", StatementClass.Other, word),
            Load => new("LOAD", StatementClass.Other, word),
            _ => Head.Unknown,
        };
    }

    /// <summary><c>COPY t FROM</c> and <c>COPY (INSERT|UPDATE|DELETE|MERGE ... RETURNING) TO</c> write; other COPYs read.</summary>
    private static StatementClass CopyKind(ReadOnlySpan<Token> tokens, int p)
    {
        if (Is(tokens, p + 1, SqlTokenKind.LeftParen))
        {
            var inner = SkipOpenParens(tokens, p + 1);
            return inner < tokens.Length && (IsWriteHead(tokens[inner].Word) || tokens[inner].Word == With && WithWrites(tokens, inner))
                ? StatementClass.Write
                : StatementClass.Read;
        }

        var from = FindTopLevel(tokens, p + 1, From);
        var to = FindTopLevel(tokens, p + 1, To);
        return to >= 0 && (from < 0 || to < from) ? StatementClass.Read : StatementClass.Write;
    }

    private static bool WithWrites(ReadOnlySpan<Token> tokens, int with)
    {
        var writes = false;
        var main = SkipOpenParens(tokens, SkipWith(tokens, with, ref writes));
        return writes || (main < tokens.Length && IsWriteHead(tokens[main].Word));
    }

    private static string DiscardCommand(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int p)
    {
        if (p >= tokens.Length)
        {
            return "DISCARD";
        }

        var what = tokens[p].Text(sql);
        return what.Equals("ALL", StringComparison.OrdinalIgnoreCase) ? "DISCARD ALL"
            : what.Equals("PLANS", StringComparison.OrdinalIgnoreCase) ? "DISCARD PLANS"
            : what.Equals("SEQUENCES", StringComparison.OrdinalIgnoreCase) ? "DISCARD SEQUENCES"
            : tokens[p].Word == Temp ? "DISCARD TEMP"
            : "DISCARD";
    }

    /// <summary>CREATE, ALTER or DROP and the object type after the modifiers (OR REPLACE, TEMP, UNIQUE, ...).</summary>
    private static Head ObjectCommand(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int p)
    {
        var verb = tokens[p].Word;
        var j = p + 1;
        while (j < tokens.Length && IsObjectModifier(sql, tokens, j))
        {
            j++;
        }

        var type = MatchObjectType(sql, tokens, j, out var after);
        if (type is null)
        {
            var fallback = verb switch { Create => "CREATE", Alter => "ALTER", _ => "DROP" };
            return new(fallback, StatementClass.Ddl, verb) { Parsed = false };
        }

        var command = verb switch { Create => type.Create, Alter => type.Alter, _ => type.Drop };
        if (verb == Create && type.Words is ["TABLE"] && FindTopLevel(tokens, after, As) >= 0)
        {
            command = "CREATE TABLE AS";
        }

        return new(command, type.Kind, verb) { Object = type, AfterObject = after };
    }

    private static bool IsObjectModifier(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int j)
    {
        var token = tokens[j];
        if (token.Word is Or or Replace or Temp or Unlogged or Global or Local or Unique or Trusted or Procedural or Constraint or Recursive)
        {
            return true;
        }

        // CREATE DEFAULT CONVERSION, but ALTER DEFAULT PRIVILEGES.
        return token.Word == Default && j + 1 < tokens.Length && tokens[j + 1].Text(sql).Equals("CONVERSION", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the head of a statement says.</summary>
    private struct Head(string command, StatementClass kind, SqlKeyword verb)
    {
        public static Head Unknown => new("UNKNOWN", StatementClass.Unknown, None);

        public string Command = command;
        public StatementClass Kind = kind;

        /// <summary>The command's first word.</summary>
        public SqlKeyword Verb = verb;

        /// <summary>Where the main statement starts (after EXPLAIN and WITH).</summary>
        public int Index;
        public bool Explain;
        public bool DataModifyingCte;
        public bool Parsed = true;

        /// <summary>For CREATE, ALTER and DROP: the object type and the index after its words.</summary>
        public ObjectType? Object;
        public int AfterObject;
    }
}
