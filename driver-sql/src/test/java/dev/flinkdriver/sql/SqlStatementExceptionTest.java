package dev.flinkdriver.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlStatementExceptionTest {

    @Test
    void namesTheStatementAndTheFirstLinesOfItsOuterAndDeepestCause() {
        SqlStatement statement = new SqlStatement("INSERT INTO t\n  SELECT * FROM x;", 7, 1);
        Exception cause =
                new IllegalStateException(
                        "validation failed\nmore detail",
                        new IllegalArgumentException("Object 'x' not found\nat line 8"));
        SqlStatementException e = new SqlStatementException("etl.sql", statement, cause);
        assertThat(e.getMessage())
                .isEqualTo(
                        "SQL statement at line 7 of etl.sql failed: INSERT INTO t --"
                                + " java.lang.IllegalStateException: validation failed; caused by"
                                + " java.lang.IllegalArgumentException: Object 'x' not found");
        // The root cause of main()'s failure, which the YARN diagnostics show.
        assertThat(e.getCause()).isNull();
    }
}
