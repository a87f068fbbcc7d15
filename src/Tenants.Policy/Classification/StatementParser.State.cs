using static Tenants.Policy.Classification.SqlKeyword;

namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    /// <summary>One flag per parenthesis depth: a word for the first 64, a set beyond (hostile nesting only).</summary>
    private struct DepthBits
    {
        private ulong _low;
        private HashSet<int>? _high;

        public void Set(int depth, bool value)
        {
            if (depth < 64)
            {
                _low = value ? _low | (1UL << depth) : _low & ~(1UL << depth);
            }
            else if (value)
            {
                (_high ??= []).Add(depth);
            }
            else
            {
                _high?.Remove(depth);
            }
        }

        public readonly bool Get(int depth) => depth < 64 ? (_low & (1UL << depth)) != 0 : _high?.Contains(depth) == true;
    }

    /// <summary>The UPDATE, DELETE and MERGE statements open at each depth, innermost on top, and whether each saw its WHERE.</summary>
    private struct DmlStack
    {
        private int _depth;
        private SqlKeyword _verb;
        private bool _sawWhere;
        private bool _any;
        private Stack<(int Depth, SqlKeyword Verb, bool SawWhere)>? _outer;

        public readonly SqlKeyword Top(int depth) => _any && _depth == depth ? _verb : None;

        public void Push(int depth, SqlKeyword verb)
        {
            if (_any)
            {
                (_outer ??= new()).Push((_depth, _verb, _sawWhere));
            }

            (_depth, _verb, _sawWhere, _any) = (depth, verb, false, true);
        }

        public void SawWhere(int depth)
        {
            if (_any && _depth == depth)
            {
                _sawWhere = true;
            }
        }

        /// <summary>Takes off the innermost statement when it is at <paramref name="depth"/> or deeper.</summary>
        public bool Pop(int depth, out bool sawWhere, out SqlKeyword verb)
        {
            (sawWhere, verb) = (_sawWhere, _verb);
            if (!_any || _depth < depth)
            {
                return false;
            }

            if (_outer is { Count: > 0 })
            {
                (_depth, _verb, _sawWhere) = _outer.Pop();
            }
            else
            {
                _any = false;
            }

            return true;
        }
    }
}
