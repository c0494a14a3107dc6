package dev.flinkdriver.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PythonSubmissionTest {

    @Test
    void flip40sModIsFlinksPyModule() {
        assertThat(PythonSubmission.withAliases(new String[] {"-D", "--mod", "etl.main", "x"}))
                .containsExactly("-D", "--pyModule", "etl.main", "x");
        assertThat(PythonSubmission.withAliases(new String[] {"--mod=etl.main"}))
                .containsExactly("--pyModule=etl.main");
        // After the entry point, --mod is the program's own argument.
        assertThat(PythonSubmission.withAliases(new String[] {"-py", "job.py", "--mod", "3"}))
                .containsExactly("-py", "job.py", "--mod", "3");
        assertThat(PythonSubmission.withAliases(new String[] {"--mod", "a", "--mod", "b"}))
                .containsExactly("--pyModule", "a", "--mod", "b");
    }
}
