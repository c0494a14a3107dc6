package dev.flinkdriver.it.apps;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.config.TableConfigOptions;

/**
 * A Table API program with three DML statements under {@code table.dml-sync}: each INSERT reads
 * what the one before it wrote, so the result is right only if every statement waited for its job.
 * Args: output directory; the sinks are its subdirectories s1, s2, s3.
 */
public final class TableDmlSyncApp {

    public static void main(String[] args) {
        String out = args[0];
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().set(TableConfigOptions.TABLE_DML_SYNC, true);
        for (String sink : new String[] {"s1", "s2", "s3"}) {
            tEnv.executeSql(
                    "CREATE TABLE "
                            + sink
                            + " (x BIGINT) WITH ('connector' = 'filesystem', 'path' = '"
                            + out
                            + "/"
                            + sink
                            + "', 'format' = 'csv')");
        }
        tEnv.executeSql("INSERT INTO s1 SELECT * FROM (VALUES (1), (2), (3), (4)) AS t(x)");
        tEnv.executeSql("INSERT INTO s2 SELECT x * 10 FROM s1");
        tEnv.executeSql("INSERT INTO s3 SELECT SUM(x) FROM s2");
    }
}
