using System.Buffers;
using Tenants.Policy.Lexing;
using Tenants.Policy.Rules;
using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

/// <summary>
/// The statement analyser's engine: lexes one statement into a pooled token buffer (stopping at its top-level
/// semicolon), matches its parentheses once, reads the head (EXPLAIN, WITH, the command and its object type) and then,
/// for full facts, walks the tokens once more for relations, schemas, data-modifying CTEs and UPDATE/DELETE without
/// WHERE. Linear in the input, no recursion, never throws.
/// </summary>
internal static partial class StatementParser
{
    private const int InitialTokens = 64;

    /// <summary>The facts of the first statement of <paramref name="sql"/>; only Kind, Command and Parsed when <paramref name="kindOnly"/>.</summary>
    public static StatementFacts Run(ReadOnlySpan<char> sql, bool kindOnly)
    {
        var buffer = ArrayPool<Token>.Shared.Rent(InitialTokens);
        try
        {
            var count = Collect(sql, ref buffer, out var broken);
            var tokens = buffer.AsSpan(0, count);
            var head = ReadHead(sql, tokens);
            if (head.Kind == StatementClass.Unknown)
            {
                return StatementFacts.Unknown;
            }

            if (head.Kind == StatementClass.Read && !head.Explain && HasCteWrite(tokens))
            {
                // A data-modifying WITH below the top level (the server refuses it, but it is a write all the same).
                head.Kind = StatementClass.Write;
            }

            if (kindOnly)
            {
                return new StatementFacts { Kind = head.Kind, Command = head.Command, Parsed = !broken && head.Parsed };
            }

            var scan = new Scan(sql, head);
            scan.Targets(tokens);
            scan.Walk(tokens);
            return new StatementFacts
            {
                Kind = head.Kind,
                Command = head.Command,
                Relations = scan.Relations(),
                Schemas = scan.Schemas is { } schemas ? schemas : [],
                DataModifyingCte = scan.DataModifyingCte,
                MissingWhere = scan.MissingWhere,
                Parsed = !broken && head.Parsed,
            };
        }
        finally
        {
            ArrayPool<Token>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Lexes up to the first semicolon outside a <c>BEGIN ATOMIC ... END</c> body, noting keywords and each parenthesis's
    /// partner. <paramref name="broken"/> is set for unterminated quotes or comments and unbalanced parentheses.
    /// </summary>
    private static int Collect(ReadOnlySpan<char> sql, ref Token[] buffer, out bool broken)
    {
        var lexer = new SqlLexer(sql);
        var count = 0;
        var atomicDepth = 0;
        var unbalanced = false;
        var open = ArrayPool<int>.Shared.Rent(16);
        var openCount = 0;
        try
        {
            while (lexer.Next(out var token))
            {
                if (token.Kind == SqlTokenKind.Semicolon && atomicDepth == 0)
                {
                    if (count == 0)
                    {
                        continue;
                    }

                    break;
                }

                var word = token.Kind == SqlTokenKind.Identifier ? KeywordOf(token.Text(sql)) : None;
                if (word == None && token.Kind == SqlTokenKind.Identifier && atomicDepth > 0)
                {
                    atomicDepth += token.Text(sql).Equals("CASE", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                }
                else if (word == End && atomicDepth > 0)
                {
                    atomicDepth--;
                }
                else if (word == None && count > 0 && buffer[count - 1].Word == Begin && token.Text(sql).Equals("ATOMIC", StringComparison.OrdinalIgnoreCase))
                {
                    atomicDepth++;
                }

                if (count == buffer.Length)
                {
                    Grow(ref buffer, count);
                }

                buffer[count] = new Token { Kind = token.Kind, Word = word, Start = token.Start, Length = token.Length, Match = -1 };
                if (token.Kind == SqlTokenKind.LeftParen)
                {
                    if (openCount == open.Length)
                    {
                        Grow(ref open, openCount);
                    }

                    open[openCount++] = count;
                }
                else if (token.Kind == SqlTokenKind.RightParen)
                {
                    if (openCount == 0)
                    {
                        unbalanced = true;
                    }
                    else
                    {
                        var partner = open[--openCount];
                        buffer[partner].Match = count;
                        buffer[count].Match = partner;
                    }
                }

                count++;
            }

            // A parenthesis never closed pairs with the end, so skipping it skips everything.
            for (var k = 0; k < openCount; k++)
            {
                buffer[open[k]].Match = count;
            }

            broken = unbalanced || openCount > 0 || lexer.SawUnterminated;
            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(open);
        }
    }

    /// <summary>Whether a CTE body anywhere (<c>AS [MATERIALIZED] (</c>) is an INSERT, UPDATE, DELETE or MERGE.</summary>
    private static bool HasCteWrite(ReadOnlySpan<Token> tokens)
    {
        for (var i = 1; i + 1 < tokens.Length; i++)
        {
            if (tokens[i].Kind == SqlTokenKind.LeftParen && tokens[i - 1].Word is As or Materialized && IsWriteHead(tokens[i + 1].Word))
            {
                return true;
            }
        }

        return false;
    }

    private static void Grow<T>(ref T[] buffer, int count)
    {
        var bigger = ArrayPool<T>.Shared.Rent(buffer.Length * 2);
        Array.Copy(buffer, bigger, count);
        ArrayPool<T>.Shared.Return(buffer);
        buffer = bigger;
    }

    /// <summary>Index just past the parenthesised group opening at <paramref name="i"/> (the end when it never closes).</summary>
    private static int After(ReadOnlySpan<Token> tokens, int i) => Math.Min(tokens[i].Match, tokens.Length - 1) + 1;

    private static bool Is(ReadOnlySpan<Token> tokens, int i, SqlKeyword word) => i < tokens.Length && tokens[i].Word == word;

    private static bool Is(ReadOnlySpan<Token> tokens, int i, SqlTokenKind kind) => i < tokens.Length && tokens[i].Kind == kind;

    private static bool IsWriteHead(SqlKeyword word) => word is Insert or Update or Delete or Merge;

    /// <summary>The first token at depth 0 from <paramref name="i"/> that is <paramref name="word"/>, or -1.</summary>
    private static int FindTopLevel(ReadOnlySpan<Token> tokens, int i, SqlKeyword word)
    {
        while (i < tokens.Length)
        {
            if (tokens[i].Kind == SqlTokenKind.LeftParen)
            {
                i = After(tokens, i);
            }
            else if (tokens[i].Word == word)
            {
                return i;
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    /// <summary>One lexed token with what the parser adds: its keyword and, for a parenthesis, its partner's index.</summary>
    internal struct Token
    {
        public SqlTokenKind Kind;
        public SqlKeyword Word;
        public int Start;
        public int Length;
        public int Match;

        public readonly ReadOnlySpan<char> Text(ReadOnlySpan<char> sql) => sql.Slice(Start, Length);
    }
}
