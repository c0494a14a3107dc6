################################################################################
# A PyFlink application of five jobs, the shape driver mode is for, run as the driver:
#
#   flink-driver run -D -py examples/python/multi_job.py [--output <dir>]
#
# - a DAEMON job (a generator into a blackhole) that runs as long as the application has other
#   work, and is cancelled when it has none;
# - job 1, execute_and_collect(): word counts of a fixed text with Python functions ("flink"
#   occurs 3 times);
# - jobs 2 and 3, execute_async() side by side: 1^2 + ... + 100^2 = 338350, and the number of
#   primes below 1000 = 168;
# - job 4, execute_and_collect(): their total, 338518.
#
# The Python functions run in the user TaskManagers' Python workers (process mode); main() runs in
# the driver's container. Results are printed (flink-driver logs <applicationId>) and written to
# <output>/results.txt (--output, default /tmp/flink-driver-example/python-<pid>; jobs 2 and 3
# write their files there too, so on a real cluster it must be a directory every node sees).
################################################################################
import argparse
import os
import sys

from pyflink.common import Configuration, Encoder, Types
from pyflink.datastream import RuntimeExecutionMode, StreamExecutionEnvironment
from pyflink.datastream.connectors.file_system import FileSink
from pyflink.table import StreamTableEnvironment

TEXT = ["flink runs the jobs of an application",
        "the driver runs main of the application",
        "driver mode keeps flink on yarn alive without a client",
        "flink"]


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))


def start_daemon_job():
    """An endless job of living priority DAEMON: it never keeps the application alive."""
    conf = Configuration()
    conf.set_string("driver.job.living-priority", "DAEMON")
    env = StreamExecutionEnvironment.get_execution_environment(conf)
    t_env = StreamTableEnvironment.create(env)
    t_env.get_config().set("driver.job.living-priority", "DAEMON")
    t_env.get_config().set("pipeline.name", "heartbeat-daemon")
    t_env.execute_sql("CREATE TEMPORARY TABLE ticks (n BIGINT) "
                      "WITH ('connector' = 'datagen', 'rows-per-second' = '1')")
    t_env.execute_sql("CREATE TEMPORARY TABLE nowhere (n BIGINT) WITH ('connector' = 'blackhole')")
    return t_env.execute_sql("INSERT INTO nowhere SELECT n FROM ticks")


def file_sink(path):
    """Rows as lines of text in files under path (a directory on a file system every node sees)."""
    return FileSink.for_row_format(path, Encoder.simple_string_encoder()).build()


def read_rows(path):
    """The lines of the finished files under path (the sink writes them into bucket directories)."""
    rows = []
    for directory, _, files in sorted(os.walk(path)):
        for name in sorted(files):
            if not name.startswith("."):
                with open(os.path.join(directory, name)) as f:
                    rows.extend(line.strip() for line in f if line.strip())
    return rows


def batch_env():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    env.set_parallelism(1)
    return env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=False)
    args, _ = parser.parse_known_args(sys.argv[1:])
    results = []
    print("main() runs in", sys.executable)

    start_daemon_job()

    # Job 1: word counts, collected by main().
    env = batch_env()
    counts = (env.from_collection(TEXT, Types.STRING())
              .flat_map(lambda line: line.split(), Types.STRING())
              .map(lambda w: (w, 1), Types.TUPLE([Types.STRING(), Types.INT()]))
              .key_by(lambda t: t[0])
              .reduce(lambda a, b: (a[0], a[1] + b[1])))
    with counts.execute_and_collect("word-count") as rows:
        words = dict(sorted((w, c) for w, c in rows))
    results.append(f"words {words}")

    # Jobs 2 and 3: submitted together with execute_async(), running side by side, each writing
    # its result into a file of --output.
    output = args.output or os.path.join("/tmp/flink-driver-example", f"python-{os.getpid()}")
    env.from_collection(list(range(1, 101)), Types.LONG()) \
        .map(lambda x: x * x, Types.LONG()) \
        .key_by(lambda x: 0, Types.INT()) \
        .reduce(lambda a, b: a + b) \
        .map(str, Types.STRING()) \
        .sink_to(file_sink(os.path.join(output, "sum-of-squares")))
    squares_job = env.execute_async("sum-of-squares")
    env.from_collection(list(range(2, 1000)), Types.LONG()) \
        .filter(is_prime) \
        .map(lambda x: 1, Types.LONG()) \
        .key_by(lambda x: 0, Types.INT()) \
        .reduce(lambda a, b: a + b) \
        .map(str, Types.STRING()) \
        .sink_to(file_sink(os.path.join(output, "primes-below-1000")))
    primes_job = env.execute_async("primes-below-1000")
    squares_job.get_job_execution_result().result()
    primes_job.get_job_execution_result().result()
    sum_of_squares = int(read_rows(os.path.join(output, "sum-of-squares"))[-1])
    prime_count = int(read_rows(os.path.join(output, "primes-below-1000"))[-1])
    results.append(f"sum-of-squares {sum_of_squares}")
    results.append(f"primes-below-1000 {prime_count}")

    # Job 4: their total, computed by a job again.
    with env.from_collection([sum_of_squares, prime_count], Types.LONG()) \
            .key_by(lambda x: 0, Types.INT()) \
            .reduce(lambda a, b: a + b) \
            .execute_and_collect("total") as rows:
        results.append(f"total {list(rows)[-1]}")

    for line in results:
        print(line)
    with open(os.path.join(output, "results.txt"), "w") as f:
        f.write("\n".join(results) + "\n")


if __name__ == "__main__":
    main()
