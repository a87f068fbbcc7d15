using Tenants.Policy.Classification;
using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

public sealed class StatementAnalyzerCommandTests
{
    [Theory]
    [InlineData("select 1", "SELECT", StatementClass.Read)]
    [InlineData("(select 1) union (select 2)", "SELECT", StatementClass.Read)]
    [InlineData("TABLE users", "SELECT", StatementClass.Read)]
    [InlineData("values (1), (2)", "SELECT", StatementClass.Read)]
    [InlineData("select * from t for update", "SELECT", StatementClass.Read)]
    [InlineData("select * into new_t from t", "SELECT INTO", StatementClass.Ddl)]
    [InlineData("insert into t values (1)", "INSERT", StatementClass.Write)]
    [InlineData("update t set a = 1 where id = 2", "UPDATE", StatementClass.Write)]
    [InlineData("delete from t where id = 1", "DELETE", StatementClass.Write)]
    [InlineData("merge into t using s on t.id = s.id when matched then delete", "MERGE", StatementClass.Write)]
    [InlineData("copy t from stdin", "COPY", StatementClass.Write)]
    [InlineData("copy t (a, b) to stdout with (format csv)", "COPY", StatementClass.Read)]
    [InlineData("copy (select * from t) to stdout", "COPY", StatementClass.Read)]
    [InlineData("copy (delete from t returning *) to stdout", "COPY", StatementClass.Write)]
    [InlineData("truncate a, b", "TRUNCATE TABLE", StatementClass.Write)]
    [InlineData("create table t (a int)", "CREATE TABLE", StatementClass.Ddl)]
    [InlineData("create temp table t (a int)", "CREATE TABLE", StatementClass.Ddl)]
    [InlineData("create table t as select 1", "CREATE TABLE AS", StatementClass.Ddl)]
    [InlineData("create unique index concurrently i on t (a)", "CREATE INDEX", StatementClass.Ddl)]
    [InlineData("create or replace view v as select 1", "CREATE VIEW", StatementClass.Ddl)]
    [InlineData("create materialized view m as select 1", "CREATE MATERIALIZED VIEW", StatementClass.Ddl)]
    [InlineData("create or replace function f() returns int language sql as $$ select 1 $$", "CREATE FUNCTION", StatementClass.Ddl)]
    [InlineData("create constraint trigger tr after insert on t for each row execute function f()", "CREATE TRIGGER", StatementClass.Ddl)]
    [InlineData("create user mapping for bob server s", "CREATE USER MAPPING", StatementClass.Ddl)]
    [InlineData("create user bob", "CREATE ROLE", StatementClass.Dcl)]
    [InlineData("alter table t add column b int", "ALTER TABLE", StatementClass.Ddl)]
    [InlineData("alter default privileges grant select on tables to bob", "ALTER DEFAULT PRIVILEGES", StatementClass.Dcl)]
    [InlineData("alter system set work_mem = '1MB'", "ALTER SYSTEM", StatementClass.Other)]
    [InlineData("drop table if exists a, b cascade", "DROP TABLE", StatementClass.Ddl)]
    [InlineData("drop schema s cascade", "DROP SCHEMA", StatementClass.Ddl)]
    [InlineData("drop text search dictionary d", "DROP TEXT SEARCH DICTIONARY", StatementClass.Ddl)]
    [InlineData("drop owned by bob", "DROP OWNED", StatementClass.Dcl)]
    [InlineData("comment on table t is 'x'", "COMMENT", StatementClass.Ddl)]
    [InlineData("grant select on t to bob", "GRANT", StatementClass.Dcl)]
    [InlineData("grant admins to bob", "GRANT ROLE", StatementClass.Dcl)]
    [InlineData("revoke all on schema s from bob", "REVOKE", StatementClass.Dcl)]
    [InlineData("begin", "BEGIN", StatementClass.Tcl)]
    [InlineData("start transaction isolation level serializable", "START TRANSACTION", StatementClass.Tcl)]
    [InlineData("end", "COMMIT", StatementClass.Tcl)]
    [InlineData("abort", "ROLLBACK", StatementClass.Tcl)]
    [InlineData("rollback to savepoint s", "ROLLBACK", StatementClass.Tcl)]
    [InlineData("commit prepared 'x'", "COMMIT PREPARED", StatementClass.Tcl)]
    [InlineData("prepare transaction 'x'", "PREPARE TRANSACTION", StatementClass.Tcl)]
    [InlineData("savepoint s", "SAVEPOINT", StatementClass.Tcl)]
    [InlineData("release savepoint s", "RELEASE", StatementClass.Tcl)]
    [InlineData("set search_path = x", "SET", StatementClass.Other)]
    [InlineData("set constraints all deferred", "SET CONSTRAINTS", StatementClass.Other)]
    [InlineData("show work_mem", "SHOW", StatementClass.Read)]
    [InlineData("discard all", "DISCARD ALL", StatementClass.Other)]
    [InlineData("do $$ begin delete from t; end $$", "DO", StatementClass.Other)]
    [InlineData("call p(1)", "CALL", StatementClass.Other)]
    [InlineData("vacuum (verbose) t", "VACUUM", StatementClass.Other)]
    [InlineData("analyse t", "ANALYZE", StatementClass.Other)]
    [InlineData("prepare p (int) as select $1", "PREPARE", StatementClass.Other)]
    [InlineData("deallocate all", "DEALLOCATE ALL", StatementClass.Other)]
    [InlineData("declare c cursor for select 1", "DECLARE CURSOR", StatementClass.Other)]
    [InlineData("close all", "CLOSE CURSOR ALL", StatementClass.Other)]
    [InlineData("fetch 10 from c", "FETCH", StatementClass.Read)]
    [InlineData("lock table t in exclusive mode", "LOCK TABLE", StatementClass.Other)]
    [InlineData("refresh materialized view m", "REFRESH MATERIALIZED VIEW", StatementClass.Write)]
    [InlineData("explain select * from t", "EXPLAIN", StatementClass.Read)]
    [InlineData("explain delete from t", "EXPLAIN", StatementClass.Read)]
    [InlineData("explain analyze delete from t", "EXPLAIN", StatementClass.Write)]
    [InlineData("explain (analyze, buffers) update t set a = 1", "EXPLAIN", StatementClass.Write)]
    [InlineData("explain (analyze false) update t set a = 1", "EXPLAIN", StatementClass.Read)]
    [InlineData("explain analyze select 1", "EXPLAIN", StatementClass.Read)]
    [InlineData("with x as (select 1) select * from x", "SELECT", StatementClass.Read)]
    [InlineData("with d as (delete from t returning *) select * from d", "SELECT", StatementClass.Write)]
    [InlineData("with recursive r(n) as (select 1 union all select n + 1 from r) insert into t select * from r", "INSERT", StatementClass.Write)]
    [InlineData("with recursive g(f, t) as (select 1, 2) search depth first by f, t set seq select * from g", "SELECT", StatementClass.Read)]
    [InlineData("with recursive g(f, t) as (select 1, 2) cycle f, t set c using p, h as (select 1) select * from g, h", "SELECT", StatementClass.Read)]
    public void Analyze_Statement_GivesTheServersCommandTagAndKind(string sql, string command, StatementClass kind)
    {
        var facts = StatementAnalyzer.Analyze(sql);

        Assert.Equal(command, facts.Command);
        Assert.Equal(kind, facts.Kind);
        Assert.True(facts.Parsed);
        Assert.Equal(kind, StatementClassifier.Classify(sql));
    }

    [Theory]
    [InlineData("/* DROP TABLE t */ SELECT 1", "SELECT", StatementClass.Read)]
    [InlineData("-- DELETE FROM t\nSELECT 1", "SELECT", StatementClass.Read)]
    [InlineData("/* outer /* DROP */ still comment */ DELETE FROM t WHERE a = 1", "DELETE", StatementClass.Write)]
    [InlineData("SELECT 1 -- ; DROP TABLE x", "SELECT", StatementClass.Read)]
    [InlineData("SELECT $$; DROP TABLE x; $$", "SELECT", StatementClass.Read)]
    [InlineData("SELECT $f$ ' $$ ; delete $f$ AS body", "SELECT", StatementClass.Read)]
    [InlineData("SELECT E'\\'; DROP TABLE x; --'", "SELECT", StatementClass.Read)]
    [InlineData("SELECT \"; DROP TABLE x\" FROM t", "SELECT", StatementClass.Read)]
    public void Analyze_KeywordsHiddenInCommentsAndQuotes_DoNotCount(string sql, string command, StatementClass kind)
    {
        var all = StatementAnalyzer.AnalyzeAll(sql);

        var facts = Assert.Single(all);
        Assert.Equal(command, facts.Command);
        Assert.Equal(kind, facts.Kind);
    }

    [Fact]
    public void AnalyzeAll_MultiStatementString_GivesOneFactsEach()
    {
        var all = StatementAnalyzer.AnalyzeAll("select 1; update t set a = 1; -- note\n drop table x;; commit");

        Assert.Equal(["SELECT", "UPDATE", "DROP TABLE", "COMMIT"], all.Select(f => f.Command));
        Assert.True(all[1].MissingWhere);
        Assert.Equal(StatementClass.Ddl, all[2].Kind);
    }

    [Fact]
    public void Analyze_MultiStatementString_DescribesTheFirstOnly()
    {
        Assert.Equal("SELECT", StatementAnalyzer.Analyze("select 1; drop table x").Command);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   -- only a comment")]
    [InlineData("frobnicate the database")]
    [InlineData("42")]
    [InlineData(";;;")]
    public void Analyze_NotAStatement_IsUnknownAndUnparsed(string? sql)
    {
        var facts = StatementAnalyzer.Analyze(sql);

        Assert.Equal(StatementClass.Unknown, facts.Kind);
        Assert.Equal("UNKNOWN", facts.Command);
        Assert.False(facts.Parsed);
    }

    [Theory]
    [InlineData("select 'unterminated")]
    [InlineData("select \"unterminated")]
    [InlineData("select $$ unterminated")]
    [InlineData("select 1 /* unterminated")]
    [InlineData("select (1")]
    [InlineData("select 1)")]
    [InlineData("create frobnicator x")]
    public void Analyze_BrokenStatement_KeepsItsKindButIsUnparsed(string sql)
    {
        var facts = StatementAnalyzer.Analyze(sql);

        Assert.NotEqual(StatementClass.Unknown, facts.Kind);
        Assert.False(facts.Parsed);
    }
}
