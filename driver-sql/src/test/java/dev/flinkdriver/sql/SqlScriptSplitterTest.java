package dev.flinkdriver.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScriptSplitterTest {

    private static List<SqlStatement> split(String script) {
        return SqlScriptSplitter.split(script, s -> true);
    }

    @Test
    void splitsAtSemicolonsAndKeepsWhereEachStatementStarts() {
        List<SqlStatement> statements =
                split("CREATE TABLE a (x INT);\n\n  INSERT INTO a\n  VALUES (1);\nSELECT 1");
        assertThat(statements)
                .containsExactly(
                        new SqlStatement("CREATE TABLE a (x INT);", 1, 1),
                        new SqlStatement("INSERT INTO a\n  VALUES (1);", 3, 3),
                        new SqlStatement("SELECT 1", 5, 1));
        assertThat(statements.get(1).firstLine()).isEqualTo("INSERT INTO a");
        assertThat(statements.get(1).padded()).isEqualTo("\n\n  INSERT INTO a\n  VALUES (1);");
    }

    @Test
    void semicolonsInCommentsAndQuotesDoNotEndAStatement() {
        List<SqlStatement> statements =
                split(
                        "-- first; a comment\n"
                                + "SELECT 'a;b', \"c;d\", `e;f` /* g; h */ FROM t; -- i;\n"
                                + "/* j;\n k; */ SELECT 'it''s;';");
        assertThat(statements)
                .extracting(SqlStatement::sql)
                .containsExactly(
                        "SELECT 'a;b', \"c;d\", `e;f` /* g; h */ FROM t;", "SELECT 'it''s;';");
        assertThat(statements).extracting(SqlStatement::line).containsExactly(2, 4);
    }

    @Test
    void onlyCommentsAndBlanksAreNoStatements() {
        assertThat(split("  -- nothing here;\n/* nor; here */\n ;; \n")).isEmpty();
        assertThat(split("")).isEmpty();
    }

    @Test
    void anIncompleteCandidateReadsOnToTheNextSemicolon() {
        String script = "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;\nEND;\nSELECT 2;";
        List<SqlStatement> statements =
                SqlScriptSplitter.split(script, s -> !s.sql().endsWith("SELECT 1;"));
        assertThat(statements)
                .extracting(SqlStatement::sql)
                .containsExactly(
                        "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;\nEND;", "SELECT 2;");
    }
}
