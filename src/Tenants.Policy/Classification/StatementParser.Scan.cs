using Tenants.Policy.Lexing;
using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    /// <summary>
    /// The walk over a statement's tokens that finds the relations it names (FROM and JOIN lists, INTO, UPDATE, USING,
    /// TABLE, REFERENCES, DDL targets), the schemas they are in, CTE names (which are not relations), data-modifying CTEs
    /// and UPDATE/DELETE without WHERE. Per-depth state lives in bit sets that grow only for deep nesting.
    /// </summary>
    private ref partial struct Scan
    {
        private readonly ReadOnlySpan<char> _sql;
        private readonly Head _head;
        private List<string>? _relations;
        private List<string>? _cteNames;
        private DepthBits _tableList;
        private DepthBits _fromArgument;
        private DmlStack _dml;

        public Scan(ReadOnlySpan<char> sql, Head head)
        {
            _sql = sql;
            _head = head;
            DataModifyingCte = head.DataModifyingCte;
        }

        public List<string>? Schemas { get; private set; }

        public bool DataModifyingCte { get; private set; }

        public bool MissingWhere { get; private set; }

        /// <summary>The relations found, CTE names taken out.</summary>
        public readonly IReadOnlyList<string> Relations()
        {
            if (_relations is null)
            {
                return [];
            }

            if (_cteNames is not null)
            {
                var ctes = _cteNames;
                _relations.RemoveAll(ctes.Contains);
            }

            return _relations;
        }

        /// <summary>Whether the generic walk looks for tables: statements that read, write or define data.</summary>
        private readonly bool ScansTables =>
            (_head.Kind is StatementClass.Read or StatementClass.Write or StatementClass.Ddl || _head.Explain || _head.Verb is Prepare or Declare)
            && _head.Verb is not (Fetch or Move or Show or Import or Comment or Security or Reindex);

        /// <summary>The targets that only the command's own grammar names: DDL objects, TRUNCATE, LOCK, COPY, GRANT, VACUUM.</summary>
        public void Targets(ReadOnlySpan<Token> tokens)
        {
            var p = _head.Index;
            if (_head.Explain)
            {
                return;
            }

            switch (_head.Verb)
            {
                case Create or Alter or Drop when _head.Object is { } type:
                    ObjectTargets(tokens, type);
                    break;
                case Truncate or SqlKeyword.Lock:
                    NameList(tokens, Skip(tokens, p + 1, Table, Only), schemas: false);
                    break;
                case Copy when !Is(tokens, p + 1, SqlTokenKind.LeftParen):
                    Name(tokens, p + 1, function: false);
                    break;
                case Grant or Revoke:
                    GrantTargets(tokens, p);
                    break;
                case Vacuum or Analyze:
                    var j = p + 1;
                    if (Is(tokens, j, SqlTokenKind.LeftParen))
                    {
                        j = After(tokens, j);
                    }

                    NameList(tokens, Skip(tokens, j, Full, Freeze, Verbose, Analyze), schemas: false);
                    break;
                case Refresh:
                    Name(tokens, Skip(tokens, p + 3, Concurrently), function: false);
                    break;
            }
        }

        private void ObjectTargets(ReadOnlySpan<Token> tokens, ObjectType type)
        {
            var j = Skip(tokens, _head.AfterObject, If, Not, Exists, Concurrently, Only);
            var first = type.Words[0];
            if (first == "SCHEMA")
            {
                if (!Is(tokens, j, Authorization))
                {
                    NameList(tokens, j, schemas: true);
                }
            }
            else if (first == "INDEX" && _head.Verb == Create || first is "TRIGGER" or "POLICY" or "RULE")
            {
                var on = FindTopLevel(tokens, j, On);
                if (on >= 0)
                {
                    // CREATE RULE r AS ON SELECT TO t names its table after TO.
                    var target = first == "RULE" && Is(tokens, on + 2, To) ? on + 3 : on + 1;
                    Name(tokens, Skip(tokens, target, Only), function: false);
                }
            }
            else if (type.IsRelation)
            {
                if (_head.Verb == Drop)
                {
                    NameList(tokens, j, schemas: false);
                }
                else
                {
                    Name(tokens, j, function: false);
                }
            }
        }

        private void GrantTargets(ReadOnlySpan<Token> tokens, int p)
        {
            var on = FindTopLevel(tokens, p + 1, On);
            if (on < 0)
            {
                return;
            }

            var j = on + 1;
            if (Is(tokens, j, Table) || (j < tokens.Length && tokens[j].Text(_sql).Equals("SEQUENCE", StringComparison.OrdinalIgnoreCase)))
            {
                NameList(tokens, j + 1, schemas: false);
            }
            else if (Is(tokens, j, Schema))
            {
                NameList(tokens, j + 1, schemas: true);
            }
            else if (Is(tokens, j, All))
            {
                // ON ALL TABLES IN SCHEMA a, b
                var schema = FindTopLevel(tokens, j, Schema);
                if (schema >= 0)
                {
                    NameList(tokens, schema + 1, schemas: true);
                }
            }
            else if (MatchObjectType(_sql, tokens, j, out _) is null)
            {
                NameList(tokens, j, schemas: false);
            }
        }

        /// <summary>The single walk over every token.</summary>
        public void Walk(ReadOnlySpan<Token> tokens)
        {
            var scansTables = ScansTables;

            // COPY t FROM 'file' and FETCH ... FROM cursor: the top level's FROM is not a table list.
            var topFromIsTable = _head.Verb != Copy;
            var depth = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                switch (token.Kind)
                {
                    case SqlTokenKind.LeftParen:
                        depth++;
                        _tableList.Set(depth, false);
                        _fromArgument.Set(depth, i > 0 && TakesFromArgument(tokens[i - 1].Word));
                        break;
                    case SqlTokenKind.RightParen:
                        EndDml(depth);
                        depth = Math.Max(0, depth - 1);
                        break;
                    case SqlTokenKind.Comma when scansTables && _tableList.Get(depth):
                        Name(tokens, Skip(tokens, i + 1, Lateral, Only), function: true);
                        break;
                    case SqlTokenKind.Identifier when token.Word != None:
                        Keyword(tokens, i, depth, scansTables, topFromIsTable);
                        break;
                }
            }

            EndDml(0);
        }

        private void Keyword(ReadOnlySpan<Token> tokens, int i, int depth, bool scansTables, bool topFromIsTable)
        {
            var word = tokens[i].Word;
            var previous = i > 0 ? tokens[i - 1] : default;
            if (EndsTableList(word))
            {
                _tableList.Set(depth, false);
            }

            switch (word)
            {
                case From when scansTables && (depth > 0 || topFromIsTable) && previous.Word != Distinct && !_fromArgument.Get(depth) && !Is(tokens, i + 1, Current):
                    _tableList.Set(depth, true);
                    Name(tokens, Skip(tokens, i + 1, Lateral, Only), function: true);
                    break;
                case Join when scansTables:
                    Name(tokens, Skip(tokens, i + 1, Lateral, Only), function: true);
                    break;
                case Into when scansTables:
                    Name(tokens, Skip(tokens, i + 1, Temp, Unlogged, Table), function: false);
                    break;
                case Using when scansTables && _dml.Top(depth) is Delete or Merge:
                    _tableList.Set(depth, true);
                    Name(tokens, Skip(tokens, i + 1, Only), function: true);
                    break;
                case Update when StartsStatement(tokens, i) && !(previous.Word == Do && Is(tokens, i + 1, Set)):
                    _dml.Push(depth, Update);
                    if (scansTables)
                    {
                        Name(tokens, Skip(tokens, i + 1, Only), function: false);
                    }

                    break;
                case Delete or Merge when StartsStatement(tokens, i):
                    _dml.Push(depth, word);
                    break;
                case Table when scansTables && (StartsStatement(tokens, i) || previous.Word is Union or Intersect or Except or All or Distinct):
                    Name(tokens, Skip(tokens, i + 1, Only), function: false);
                    break;
                case Where:
                    _dml.SawWhere(depth);
                    break;
                case References when scansTables:
                    Name(tokens, i + 1, function: false);
                    break;
                case Partition when scansTables && (Is(tokens, i + 1, Of) || previous.Word is Attach or Detach):
                    Name(tokens, Is(tokens, i + 1, Of) ? i + 2 : i + 1, function: false);
                    break;
                case With:
                    CteNames(tokens, i);
                    break;
            }
        }

        /// <summary>Whether the word at <paramref name="i"/> starts a statement (top level, in a CTE, after EXPLAIN, in a rule, ...).</summary>
        private readonly bool StartsStatement(ReadOnlySpan<Token> tokens, int i)
        {
            if (i == 0)
            {
                return true;
            }

            var previous = tokens[i - 1];
            return previous.Kind is SqlTokenKind.LeftParen or SqlTokenKind.RightParen or SqlTokenKind.Semicolon
                || previous.Word is Instead or Also or Explain or Analyze or Verbose or Do
                || (previous.Word == As && _head.Verb == Prepare);
        }

        private void EndDml(int depth)
        {
            while (_dml.Pop(depth, out var sawWhere, out var verb))
            {
                MissingWhere |= !sawWhere && verb is Update or Delete;
            }
        }

        private void CteNames(ReadOnlySpan<Token> tokens, int with)
        {
            var p = Skip(tokens, with + 1, Recursive);
            while (p < tokens.Length && tokens[p].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                var name = p;
                p++;
                if (Is(tokens, p, SqlTokenKind.LeftParen))
                {
                    p = After(tokens, p);
                }

                if (!Is(tokens, p, As))
                {
                    return;
                }

                p = Skip(tokens, p + 1, Not, Materialized);
                if (!Is(tokens, p, SqlTokenKind.LeftParen))
                {
                    return;
                }

                (_cteNames ??= []).Add(Part(tokens[name]));
                var body = SkipOpenParens(tokens, p + 1);
                DataModifyingCte |= body < tokens.Length && IsWriteHead(tokens[body].Word);
                p = SkipCteClauses(tokens, After(tokens, p));
                if (!Is(tokens, p, SqlTokenKind.Comma))
                {
                    return;
                }

                p++;
            }
        }
    }

    private static int Skip(ReadOnlySpan<Token> tokens, int j, SqlKeyword a, SqlKeyword b = None, SqlKeyword c = None, SqlKeyword d = None, SqlKeyword e = None)
    {
        while (j < tokens.Length && tokens[j].Word != None && (tokens[j].Word == a || tokens[j].Word == b || tokens[j].Word == c || tokens[j].Word == d || tokens[j].Word == e))
        {
            j++;
        }

        return j;
    }
}
