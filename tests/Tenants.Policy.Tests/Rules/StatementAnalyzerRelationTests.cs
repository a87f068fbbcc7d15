using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

public sealed class StatementAnalyzerRelationTests
{
    [Theory]
    [InlineData("select * from users", "users")]
    [InlineData("SELECT * FROM Users u JOIN public.Orders o ON o.uid = u.id", "users,public.orders")]
    [InlineData("select * from a, b x, (select * from c) s, d", "a,b,c,d")]
    [InlineData("select * from a left join lateral f(a.x) g on true, generate_series(1, 3) n", "a")]
    [InlineData("select * from \"Users\", \"a\"\"b\", \"MySchema\".\"T\"", "Users,a\"b,MySchema.T")]
    [InlineData("select extract(year from ts), substring(s from 2) from t where a is distinct from b", "t")]
    [InlineData("select * from t where id in (select id from u where exists (select 1 from v))", "t,u,v")]
    [InlineData("insert into s.t (a, b) select a, b from src", "s.t,src")]
    [InlineData("update only t set a = 1 from u, v where t.id = u.id", "t,u,v")]
    [InlineData("delete from t using u, v where t.id = u.id", "t,u,v")]
    [InlineData("merge into t using s on t.id = s.id when matched then update set a = 1, b = 2", "t,s")]
    [InlineData("insert into t values (1) on conflict (id) do update set a = 1, b = 2", "t")]
    [InlineData("table t", "t")]
    [InlineData("select 1 union table u", "u")]
    [InlineData("truncate table only a, b, s.c", "a,b,s.c")]
    [InlineData("lock table a, b in exclusive mode", "a,b")]
    [InlineData("copy s.t (a) from stdin", "s.t")]
    [InlineData("copy (select * from t join u using (id)) to stdout", "t,u")]
    [InlineData("create table s.t (a int references r(id))", "s.t,r")]
    [InlineData("create table p1 partition of p for values from (1) to (10)", "p1,p")]
    [InlineData("create index i on only t (a)", "t")]
    [InlineData("create view v as select * from t", "v,t")]
    [InlineData("create trigger tr before insert or update on t for each row execute function f()", "t")]
    [InlineData("create policy p on t using (owner = current_user)", "t")]
    [InlineData("alter table if exists only s.t add column b int", "s.t")]
    [InlineData("drop table if exists a, s.b cascade", "a,s.b")]
    [InlineData("drop index concurrently i", "i")]
    [InlineData("grant select, update on t, s.u to bob", "t,s.u")]
    [InlineData("grant execute on function f(int) to bob", "")]
    [InlineData("with x as (select * from t) select * from x join y on true", "t,y")]
    [InlineData("with x as (select 1) select * from s.x", "s.x")]
    [InlineData("with recursive g(f) as (select f from t) search breadth first by f set o, h as (select 1) select * from g, h", "t")]
    [InlineData("vacuum (analyze) a, b (c)", "a,b")]
    [InlineData("explain analyze select * from t", "t")]
    [InlineData("select * from t where id = $1 and name = $2", "t")]
    [InlineData("set search_path from current", "")]
    [InlineData("fetch next from c", "")]
    [InlineData("select 1", "")]
    public void Analyze_Statement_NamesTheRelationsItTouches(string sql, string expected)
    {
        var facts = StatementAnalyzer.Analyze(sql);

        Assert.Equal(expected, string.Join(',', facts.Relations));
    }

    [Theory]
    [InlineData("select * from public.a join s2.b on true, c", "public,s2")]
    [InlineData("create schema if not exists audit", "audit")]
    [InlineData("drop schema a, b cascade", "a,b")]
    [InlineData("alter schema s rename to t", "s")]
    [InlineData("grant usage on schema s to bob", "s")]
    [InlineData("grant select on all tables in schema s, r to bob", "s,r")]
    [InlineData("select * from db.s.t", "s")]
    [InlineData("select 1", "")]
    public void Analyze_Statement_NamesTheSchemasItTouches(string sql, string expected)
    {
        Assert.Equal(expected, string.Join(',', StatementAnalyzer.Analyze(sql).Schemas));
    }

    [Theory]
    [InlineData("update t set a = 1", true)]
    [InlineData("delete from t", true)]
    [InlineData("DELETE FROM t -- WHERE id = 1", true)]
    [InlineData("update t set a = (select b from u where u.id = 1)", true)]
    [InlineData("delete from t where a = 1", false)]
    [InlineData("update t set a = 1 where current of c", false)]
    [InlineData("with d as (delete from t returning *) select * from d", true)]
    [InlineData("with d as (delete from t where a = 1 returning *) update u set b = 2 where c = 3", false)]
    [InlineData("with d as (delete from t where a = 1 returning *) update u set b = 2", true)]
    [InlineData("insert into t values (1) on conflict (id) do update set a = 1", false)]
    [InlineData("select * from t for update", false)]
    [InlineData("merge into t using s on t.id = s.id when matched then delete", false)]
    [InlineData("create trigger tr after delete on t for each row execute function f()", false)]
    public void Analyze_UpdateOrDelete_SaysWhetherWhereIsMissing(string sql, bool missing)
    {
        Assert.Equal(missing, StatementAnalyzer.Analyze(sql).MissingWhere);
    }

    [Theory]
    [InlineData("with d as (delete from t returning *) select * from d", true)]
    [InlineData("with u as materialized (update t set a = 1 where b = 2 returning *), x as (select 1) select * from u", true)]
    [InlineData("with x as (select 1), y as (insert into t values (1) returning *) select * from x", true)]
    [InlineData("with x as (select * from t) select * from x", false)]
    [InlineData("insert into t select * from u", false)]
    public void Analyze_With_SaysWhetherACteModifiesData(string sql, bool modifying)
    {
        Assert.Equal(modifying, StatementAnalyzer.Analyze(sql).DataModifyingCte);
    }
}
