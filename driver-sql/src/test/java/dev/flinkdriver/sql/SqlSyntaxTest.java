package dev.flinkdriver.sql;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Against Flink's own parser (the planner from the planner loader, as in lib/). */
class SqlSyntaxTest {

    private static SqlSyntax syntax;

    @BeforeAll
    static void parser() {
        syntax = SqlSyntax.standalone();
    }

    @Test
    void aStatementSetIsOneStatementDespiteItsInnerSemicolons() {
        String script =
                "CREATE TABLE s (x INT) WITH ('connector' = 'datagen');\n"
                        + "EXECUTE STATEMENT SET\nBEGIN\n"
                        + "  INSERT INTO a SELECT x FROM s;\n"
                        + "  INSERT INTO b SELECT x FROM s;\n"
                        + "END;\n"
                        + "SELECT 1;";
        List<SqlStatement> statements = syntax.statements(script);
        assertThat(statements).extracting(SqlStatement::line).containsExactly(1, 2, 7);
        assertThat(statements.get(1).sql()).startsWith("EXECUTE STATEMENT SET").endsWith("END;");
        // Tables unknown to an empty catalog are no syntax error.
        assertThat(syntax.firstSyntaxError(statements)).isEmpty();
    }

    @Test
    void aSyntaxErrorIsReportedAtItsPlaceInTheScript() {
        String script = "SET 'table.dml-sync' = 'true';\n\nSELECT a\n  FORM t;\nSELECT 2;";
        SqlSyntax.SyntaxError error =
                syntax.firstSyntaxError(syntax.statements(script)).orElseThrow();
        assertThat(error.statement().line()).isEqualTo(3);
        assertThat(error.line()).isEqualTo(4);
        assertThat(error.column()).isEqualTo(8);
        assertThat(error.message()).contains("Encountered \"t\" at line 4, column 8");
    }

    @Test
    void anUnfinishedLastStatementIsASyntaxError() {
        SqlSyntax.SyntaxError error =
                syntax.firstSyntaxError(syntax.statements("SELECT 1;\nSELECT * FROM"))
                        .orElseThrow();
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.message()).contains("<EOF>");
    }
}
