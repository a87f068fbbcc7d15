using System.Text;
using Tenants.Policy.Lexing;
using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    /// <summary>Reading names: relation and schema lists, qualified names, quoting and case.</summary>
    private ref partial struct Scan
    {
        private void NameList(ReadOnlySpan<Token> tokens, int j, bool schemas)
        {
            while (j < tokens.Length)
            {
                j = schemas ? SchemaName(tokens, j) : Name(tokens, j, function: false);
                if (Is(tokens, j, SqlTokenKind.LeftParen))
                {
                    // VACUUM t (a, b), u
                    j = After(tokens, j);
                }

                if (Is(tokens, j, Only) || (j < tokens.Length && tokens[j].Kind == SqlTokenKind.Operator && tokens[j].Text(_sql) is "*"))
                {
                    j++;
                }

                if (!Is(tokens, j, SqlTokenKind.Comma))
                {
                    return;
                }

                j = Skip(tokens, j + 1, Only);
            }
        }

        private int SchemaName(ReadOnlySpan<Token> tokens, int j)
        {
            if (j < tokens.Length && IsNamePart(tokens[j]))
            {
                AddSchema(Part(tokens[j]));
                return j + 1;
            }

            return j;
        }

        /// <summary>
        /// Reads a possibly qualified name at <paramref name="j"/> and records it as a relation; with
        /// <paramref name="function"/>, a name followed by a parenthesis is a function call and is not recorded.
        /// Returns the index after the name.
        /// </summary>
        private int Name(ReadOnlySpan<Token> tokens, int j, bool function)
        {
            if (j >= tokens.Length || !IsNamePart(tokens[j]))
            {
                return j;
            }

            var end = j + 1;
            while (end + 1 < tokens.Length && tokens[end].Kind == SqlTokenKind.Dot && IsNamePart(tokens[end + 1]))
            {
                end += 2;
            }

            if (function && Is(tokens, end, SqlTokenKind.LeftParen))
            {
                return end;
            }

            string relation;
            if (end == j + 1)
            {
                relation = Part(tokens[j]);
            }
            else
            {
                var builder = new StringBuilder();
                for (var k = j; k < end; k += 2)
                {
                    builder.Append(k == j ? string.Empty : ".").Append(Part(tokens[k]));
                }

                relation = builder.ToString();
                AddSchema(Part(tokens[end - 3]));
            }

            _relations ??= [];
            if (!_relations.Contains(relation))
            {
                _relations.Add(relation);
            }

            return end;
        }

        private void AddSchema(string schema)
        {
            Schemas ??= [];
            if (!Schemas.Contains(schema))
            {
                Schemas.Add(schema);
            }
        }

        private static bool IsNamePart(Token token) =>
            token.Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.UnicodeIdentifier
            || (token.Kind == SqlTokenKind.Identifier && !IsReserved(token.Word));

        /// <summary>One part of a name: lower-cased when bare, as written (quotes removed) when quoted.</summary>
        private readonly string Part(Token token)
        {
            var text = token.Text(_sql);
            return token.Kind switch
            {
                SqlTokenKind.QuotedIdentifier => SqlLiteral.Identifier(text),
                SqlTokenKind.UnicodeIdentifier => SqlLiteral.Identifier(text),
                _ => LowerCase(text),
            };
        }

        private static string LowerCase(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (char.IsAsciiLetterUpper(c) || c > '\u007f')
                {
                    return string.Create(text.Length, text, static (span, source) =>
                    {
                        for (var k = 0; k < source.Length; k++)
                        {
                            span[k] = char.ToLowerInvariant(source[k]);
                        }
                    });
                }
            }

            return text.ToString();
        }
    }
}
