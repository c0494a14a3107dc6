package dev.flinkdriver.sql;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.operations.BeginStatementSetOperation;
import org.apache.flink.table.operations.EndStatementSetOperation;
import org.apache.flink.table.operations.ModifyOperation;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.operations.command.ResetOperation;
import org.apache.flink.table.operations.command.SetOperation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main() of {@code flink-driver run -D --sql <script>}: runs a SQL script as the driver. SET,
 * RESET, DDL, DML, statement sets and queries run in the script's order; a query's rows are printed
 * to the driver's stdout. DML jobs run concurrently unless {@code table.dml-sync} is true; main()
 * returns when all of them have ended, and fails naming the first statement that failed.
 *
 * <p>Every job goes through the driver's executor like those of any main(), so it is a NORMAL job
 * of the application with a prefixed name.
 */
public final class SqlScriptDriver {

    private static final Logger LOG = LoggerFactory.getLogger(SqlScriptDriver.class);

    private static final String SCRIPT_RESOURCES = "META-INF/flink-driver/sql/";

    private final String scriptName;
    private final PrintStream out;

    private TableEnvironmentInternal tEnv;

    /** What the current environment was created from, and whether it is streaming. */
    private Configuration rootConfiguration;

    private boolean isStreaming;

    private boolean onlySettingsSoFar = true;
    private List<ModifyOperation> statementSet;

    /** A DML job running while the script goes on (no {@code table.dml-sync}). */
    private record Pending(SqlStatement statement, TableResult result) {}

    private final List<Pending> pending = new ArrayList<>();

    SqlScriptDriver(String scriptName, PrintStream out) {
        this.scriptName = scriptName;
        this.out = out;
    }

    /**
     * {@code <script file>}: the script's name, which the application's jar carries (see {@link
     * #scriptResource}); or a path to the script, read where the class path has no such script.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("Usage: SqlScriptDriver <script.sql>");
        }
        new SqlScriptDriver(Path.of(args[0]).getFileName().toString(), System.out)
                .run(readScript(args[0], userCodeClassLoader()));
    }

    /**
     * Where the application's jar carries the script named {@code scriptName}: it travels with the
     * driver job to any cluster, including one that ships no files (an existing session).
     */
    public static String scriptResource(String scriptName) {
        return SCRIPT_RESOURCES + scriptName;
    }

    /** main()'s: Flink runs it with the user code class loader as the context class loader. */
    private static ClassLoader userCodeClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SqlScriptDriver.class.getClassLoader();
    }

    /** The script from the class path (main()'s is the user code's), else from the file. */
    static String readScript(String script, ClassLoader classLoader) throws IOException {
        String name = Path.of(script).getFileName().toString();
        try (InputStream in = classLoader.getResourceAsStream(scriptResource(name))) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(script), StandardCharsets.UTF_8);
    }

    void run(String script) {
        Configuration configuration =
                (Configuration)
                        StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration();
        tEnv = create(configuration);
        List<SqlStatement> statements = new SqlSyntax(tEnv.getParser()).statements(script);
        LOG.info("Running {} statements of {}.", statements.size(), scriptName);
        for (SqlStatement statement : statements) {
            out.println(
                    "Flink SQL ["
                            + scriptName
                            + ":"
                            + statement.line()
                            + "]> "
                            + statement.firstLine());
            try {
                execute(statement);
            } catch (Throwable t) {
                LOG.error("Statement at line {} of {} failed.", statement.line(), scriptName, t);
                throw new SqlStatementException(scriptName, statement, t);
            }
        }
        for (Pending job : pending) {
            try {
                job.result().await();
            } catch (Throwable t) {
                LOG.error(
                        "The job of line {} of {} failed.", job.statement().line(), scriptName, t);
                throw new SqlStatementException(scriptName, job.statement(), t);
            }
        }
        LOG.info("All {} statements of {} ended.", statements.size(), scriptName);
    }

    private void execute(SqlStatement statement) throws Exception {
        List<Operation> operations = tEnv.getParser().parse(statement.padded());
        Operation operation = operations.get(0);
        if (operation instanceof SetOperation set) {
            set(set);
            return;
        }
        if (operation instanceof ResetOperation reset) {
            reset(reset);
            return;
        }
        if (onlySettingsSoFar) {
            onlySettingsSoFar = false;
            if (recreateForRuntimeMode(statement)) {
                // parsed against the environment just replaced
                operation = tEnv.getParser().parse(statement.padded()).get(0);
            }
        }
        // SQL client style: BEGIN STATEMENT SET; INSERT ...; INSERT ...; END;
        if (operation instanceof BeginStatementSetOperation) {
            statementSet = new ArrayList<>();
            return;
        }
        if (statementSet != null) {
            if (operation instanceof EndStatementSetOperation) {
                List<ModifyOperation> set = statementSet;
                statementSet = null;
                dml(statement, tEnv.executeInternal(set));
            } else if (operation instanceof ModifyOperation modify) {
                statementSet.add(modify);
            } else {
                throw new IllegalArgumentException(
                        "Only INSERT statements may stand between BEGIN STATEMENT SET and END");
            }
            return;
        }
        TableResult result = tEnv.executeInternal(operation);
        if (!(operation instanceof QueryOperation) && result.getJobClient().isPresent()) {
            // INSERT, statement sets, CREATE TABLE AS, EXECUTE PLAN: jobs writing somewhere.
            dml(statement, result);
        } else if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
            // A query (print() waits for its job to end), SHOW, DESCRIBE, EXPLAIN.
            result.print();
        }
    }

    /**
     * With {@code table.dml-sync} Flink already waited for the job; otherwise it runs on, and the
     * driver waits for it at the end. (Flink itself prints the job's id.)
     */
    private void dml(SqlStatement statement, TableResult result) {
        if (result.getJobClient().isPresent()
                && !tEnv.getConfig().get(TableConfigOptions.TABLE_DML_SYNC)) {
            pending.add(new Pending(statement, result));
        }
    }

    private void set(SetOperation set) {
        if (set.getKey().isEmpty()) {
            // as Flink's log does: no passwords or keys on stdout
            Map<String, String> all =
                    new LinkedHashMap<>(
                            ConfigurationUtils.hideSensitiveValues(
                                    tEnv.getConfig().getConfiguration().toMap()));
            all.forEach((k, v) -> out.println("'" + k + "' = '" + v + "'"));
            return;
        }
        tEnv.getConfig().set(set.getKey().get(), set.getValue().orElse(""));
    }

    private void reset(ResetOperation reset) {
        Configuration config = tEnv.getConfig().getConfiguration();
        if (reset.getKey().isPresent()) {
            config.removeKey(reset.getKey().get());
        } else {
            new ArrayList<>(config.keySet()).forEach(config::removeKey);
        }
    }

    /**
     * A planner is streaming or batch for good; {@code SET 'execution.runtime-mode'} at the top of
     * a script (as in Flink's SQL client) takes effect by creating the environment again before the
     * first statement that is not a setting, when nothing but settings lives in it.
     */
    private boolean recreateForRuntimeMode(SqlStatement statement) {
        Configuration settings = tEnv.getConfig().getConfiguration();
        RuntimeExecutionMode wanted = tEnv.getConfig().get(ExecutionOptions.RUNTIME_MODE);
        boolean streaming = wanted == RuntimeExecutionMode.STREAMING;
        if (streaming != isStreaming) {
            LOG.info(
                    "Runtime mode {} from line {}: new table environment.",
                    wanted,
                    statement.line());
            Configuration configuration = new Configuration(rootConfiguration);
            configuration.addAll(settings);
            tEnv = create(configuration);
            return true;
        }
        return false;
    }

    private TableEnvironmentInternal create(Configuration configuration) {
        rootConfiguration = configuration;
        EnvironmentSettings settings =
                EnvironmentSettings.newInstance().withConfiguration(configuration).build();
        isStreaming = settings.isStreamingMode();
        return (TableEnvironmentInternal) TableEnvironment.create(settings);
    }
}
